-- Fleet view: per object kind of a pair, objects waiting to be sent (TO_*) and open conflicts (ERROR, settled until
-- they change or are resent).
select kind,
       count(*) filter (where state in ('TO_POST', 'TO_UPDATE', 'TO_DELETE')) as pending,
       count(*) filter (where state = 'ERROR') as conflicts
from sync_item
where sync_pair = ?
group by kind
order by kind
