-- Metadata sync: when a version failed and why (DHIS2 keyMetadataFailedVersion / keyMetadataLastFailedTime).
alter table metadata_version add column failed_at timestamptz;
alter table metadata_version add column message text;
