delete from adaptive_page_size where central_url = ? and stage = ?
