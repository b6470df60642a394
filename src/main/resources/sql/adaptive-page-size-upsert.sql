insert into adaptive_page_size (central_url, stage, page_size, updated_at) values (?, ?, ?, now())
on conflict (central_url, stage) do update set page_size = excluded.page_size, updated_at = now()
