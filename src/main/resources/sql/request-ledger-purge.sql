-- Request ledger retention: deletes at most ? rows older than ? (called again while it deletes a full batch, so no
-- single statement holds the table for long).
delete from request_ledger
where id in (select id from request_ledger where at < ? order by at limit ?)
