-- Request ledger: one HTTP call to DHIS2. The pair comes from the call itself or, within a run, from its job_run row.
insert into request_ledger (sync_pair, run_id, job_type, stage, step, page, method, instance, path, status, failure,
                            bytes_out, bytes_in, millis, attempt, request_id, at)
values (coalesce(cast(? as text), (select sync_pair from job_run where id = cast(? as bigint))),
        ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
