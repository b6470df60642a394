-- Fleet view: per pair and object kind, objects waiting to be sent (TO_*) and open conflicts (ERROR, settled until
-- they change or are resent).
select sync_pair, kind,
       count(*) filter (where state in ('TO_POST', 'TO_UPDATE', 'TO_DELETE')) as pending,
       count(*) filter (where state = 'ERROR') as conflicts
from sync_item
group by sync_pair, kind
order by sync_pair, kind
