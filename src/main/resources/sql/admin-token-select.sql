-- The SHA-256 (hex) of the generated admin API token, if one was generated.
select token_sha256 from admin_api_token where id = 1
