import { type Kysely, sql } from 'kysely';

/** The funnel stages in order, as migration 0019 ranks them. */
const RANKS = `'{lead,mql,sal,sql,opportunity,customer}'::text[]`;

/** A stage history row `s` that moves a lead into `mql` (a reassignment within `mql` is no move). */
const MQL_MOVE = `s.to_stage = 'mql' and s.from_stage is distinct from s.to_stage`;

/**
 * Whether a contact `c`'s first move into `mql` is the new one of `m` (`mql_at`, `mql_move`):
 * it has none yet, or the new one came first (ties in time: the row stored first).
 */
const EARLIER = `(m.mql_move is not null and (c.funnel_first_mql_move is null
  or (m.mql_at, m.mql_move) < (c.funnel_first_mql_at, c.funnel_first_mql_move)))`;

/**
 * The first move into `mql` of each contact, kept whole with its funnel facts (migration 0019):
 * the splits by playbook version and by grade × temperature read what the lead was judged by
 * when it became an MQL from its contact, instead of finding that move in the stage history of
 * every lead first (docs/decisions/0015-insight-queries.md, "The first MQL move on the contact"):
 *
 * - `funnel_first_mql_move`: the stage history row's id, which breaks ties in time the way the
 *   reports always have (`order by at, id`), so that `funnel_first_mql_at` and this pair say
 *   which move is first whatever order concurrent writers commit in;
 * - `funnel_first_mql_version`, `…_grade`, `…_temperature`: its playbook version, and the grade
 *   and temperature of its score snapshot.
 *
 * The functions of migration 0019 are replaced by ones that keep these with the rest: an insert
 * takes a new move when it comes before the kept one (a first move only gets earlier, so
 * concurrent inserts cannot undo each other), an update or a delete works the contacts out
 * again. The lifecycle writer folds in the moves it writes itself, from the ids its insert
 * returns, so that the trigger finds its contacts up to date.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts
      add column funnel_first_mql_move bigint,
      add column funnel_first_mql_version integer,
      add column funnel_first_mql_grade text,
      add column funnel_first_mql_temperature text`.execute(db);
  await sql
    .raw(`
    create or replace function refresh_contact_funnel_facts(workspace_ids uuid[], contact_ids uuid[]) returns void
    language sql as $$
      update contacts c set funnel_first_move_at = h.first_at, funnel_reached = h.reached,
        funnel_first_mql_at = m.at, funnel_first_mql_move = m.id, funnel_first_mql_version = m.playbook_version,
        funnel_first_mql_grade = m.grade, funnel_first_mql_temperature = m.temperature
      from (
        select t.workspace_id, t.contact_id, min(s.at) as first_at, max(array_position(${RANKS}, s.to_stage)) as reached
        from (select distinct * from unnest(workspace_ids, contact_ids) as k(workspace_id, contact_id)) t
        left join stage_history s on s.workspace_id = t.workspace_id and s.contact_id = t.contact_id
          and s.from_stage is distinct from s.to_stage
        group by t.workspace_id, t.contact_id
      ) h
      left join lateral (
        select s.id, s.at, s.playbook_version, s.score_snapshot->>'grade' as grade,
          s.score_snapshot->>'temperature' as temperature
        from stage_history s
        where s.workspace_id = h.workspace_id and s.contact_id = h.contact_id and ${MQL_MOVE}
        order by s.at, s.id limit 1
      ) m on true
      where c.workspace_id = h.workspace_id and c.id = h.contact_id
        and (c.funnel_first_move_at, c.funnel_reached, c.funnel_first_mql_at, c.funnel_first_mql_move,
            c.funnel_first_mql_version, c.funnel_first_mql_grade, c.funnel_first_mql_temperature)
          is distinct from (h.first_at, h.reached, m.at, m.id, m.playbook_version, m.grade, m.temperature)
    $$`)
    .execute(db);
  await sql
    .raw(`
    create or replace function keep_contact_funnel_facts() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update contacts c set
          funnel_first_move_at = least(c.funnel_first_move_at, m.first_at),
          funnel_reached = greatest(c.funnel_reached, m.reached),
          funnel_first_mql_at = case when ${EARLIER} then m.mql_at else c.funnel_first_mql_at end,
          funnel_first_mql_move = case when ${EARLIER} then m.mql_move else c.funnel_first_mql_move end,
          funnel_first_mql_version = case when ${EARLIER} then m.mql_version else c.funnel_first_mql_version end,
          funnel_first_mql_grade = case when ${EARLIER} then m.mql_grade else c.funnel_first_mql_grade end,
          funnel_first_mql_temperature = case when ${EARLIER} then m.mql_temperature
            else c.funnel_first_mql_temperature end
        from (
          select n.workspace_id, n.contact_id, n.first_at, n.reached, f.at as mql_at, f.id as mql_move,
            f.playbook_version as mql_version, f.grade as mql_grade, f.temperature as mql_temperature
          from (
            select workspace_id, contact_id, min(at) as first_at, max(array_position(${RANKS}, to_stage)) as reached
            from new_rows where from_stage is distinct from to_stage
            group by workspace_id, contact_id
          ) n
          left join (
            select distinct on (s.workspace_id, s.contact_id) s.workspace_id, s.contact_id, s.id, s.at,
              s.playbook_version, s.score_snapshot->>'grade' as grade, s.score_snapshot->>'temperature' as temperature
            from new_rows s where ${MQL_MOVE}
            order by s.workspace_id, s.contact_id, s.at, s.id
          ) f on f.workspace_id = n.workspace_id and f.contact_id = n.contact_id
        ) m
        where c.workspace_id = m.workspace_id and c.id = m.contact_id
          and ((c.funnel_first_move_at, c.funnel_reached) is distinct from
            (least(c.funnel_first_move_at, m.first_at), greatest(c.funnel_reached, m.reached)) or ${EARLIER});
      elsif tg_op = 'UPDATE' then
        perform refresh_contact_funnel_facts(array_agg(workspace_id), array_agg(contact_id))
        from (select workspace_id, contact_id from old_rows union select workspace_id, contact_id from changed_rows) moved;
      else
        perform refresh_contact_funnel_facts(array_agg(workspace_id), array_agg(contact_id)) from old_rows;
      end if;
      return null;
    end $$`)
    .execute(db);
  // The contacts with a first MQL move so far, by the same function the triggers use.
  await sql`
    select refresh_contact_funnel_facts(array_agg(workspace_id), array_agg(contact_id))
    from (select distinct workspace_id, contact_id from stage_history s where ${sql.raw(MQL_MOVE)}) known`.execute(db);
  await sql`analyze contacts`.execute(db);
}
