import { type Kysely, sql } from 'kysely';

/** The funnel stages in order: `array_position` of a stage is its rank (insight/lead-facts.ts). */
const RANKS = `'{lead,mql,sal,sql,opportunity,customer}'::text[]`;

/**
 * What the funnel reports need of each lead's stage history, kept on its contact
 * (docs/decisions/0015-insight-queries.md, "Funnel facts on the contact"), so that a report reads
 * the contacts alone instead of summing up the whole stage history first:
 *
 * - `funnel_first_move_at`: its first stage move (a row whose stage changes; reassignments are not moves);
 * - `funnel_reached`: the rank of the furthest stage it ever moved into (1 `lead` … 6 `customer`);
 * - `funnel_first_mql_at`: its first move into `mql`;
 * - `funnel_entered_at`: when it entered the funnel, its creation or its first move, whichever
 *   came first (generated: the reports select a period's cohort on it, and its statistics).
 *
 * Null where the history has no such move. Triggers on `stage_history` keep them, whatever
 * writes the history (transitions, imports, merges and their undoing, erasure): an insert folds
 * its new moves in (a minimum only falls and a maximum only rises, so concurrent inserts cannot
 * undo each other), an update or a delete sums the contacts' histories up again
 * (`refresh_contact_funnel_facts`, which also fills them in for the contacts already here).
 * A contact whose facts the insert does not change is not written again: the lifecycle writer
 * folds its moves in itself, in the statement that writes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts
      add column funnel_first_move_at timestamptz,
      add column funnel_reached smallint,
      add column funnel_first_mql_at timestamptz,
      add column funnel_entered_at timestamptz generated always as (least(created_at, funnel_first_move_at)) stored`.execute(
    db,
  );
  await sql
    .raw(`
    create function refresh_contact_funnel_facts(workspace_ids uuid[], contact_ids uuid[]) returns void
    language sql as $$
      update contacts c set funnel_first_move_at = h.first_at, funnel_reached = h.reached, funnel_first_mql_at = h.first_mql_at
      from (
        select t.workspace_id, t.contact_id, min(s.at) as first_at, max(array_position(${RANKS}, s.to_stage)) as reached,
          min(s.at) filter (where s.to_stage = 'mql') as first_mql_at
        from (select distinct * from unnest(workspace_ids, contact_ids) as k(workspace_id, contact_id)) t
        left join stage_history s on s.workspace_id = t.workspace_id and s.contact_id = t.contact_id
          and s.from_stage is distinct from s.to_stage
        group by t.workspace_id, t.contact_id
      ) h
      where c.workspace_id = h.workspace_id and c.id = h.contact_id
        and (c.funnel_first_move_at, c.funnel_reached, c.funnel_first_mql_at)
          is distinct from (h.first_at, h.reached, h.first_mql_at)
    $$`)
    .execute(db);
  await sql
    .raw(`
    create function keep_contact_funnel_facts() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update contacts c set
          funnel_first_move_at = least(c.funnel_first_move_at, m.first_at),
          funnel_reached = greatest(c.funnel_reached, m.reached),
          funnel_first_mql_at = least(c.funnel_first_mql_at, m.first_mql_at)
        from (
          select workspace_id, contact_id, min(at) as first_at, max(array_position(${RANKS}, to_stage)) as reached,
            min(at) filter (where to_stage = 'mql') as first_mql_at
          from new_rows
          where from_stage is distinct from to_stage
          group by workspace_id, contact_id
        ) m
        where c.workspace_id = m.workspace_id and c.id = m.contact_id
          and (c.funnel_first_move_at, c.funnel_reached, c.funnel_first_mql_at) is distinct from
            (least(c.funnel_first_move_at, m.first_at), greatest(c.funnel_reached, m.reached),
              least(c.funnel_first_mql_at, m.first_mql_at));
      elsif tg_op = 'UPDATE' then
        perform refresh_contact_funnel_facts(array_agg(workspace_id), array_agg(contact_id))
        from (select workspace_id, contact_id from old_rows union select workspace_id, contact_id from changed_rows) moved;
      else
        perform refresh_contact_funnel_facts(array_agg(workspace_id), array_agg(contact_id)) from old_rows;
      end if;
      return null;
    end $$`)
    .execute(db);
  // The contacts with a history so far, by the same function the triggers use.
  await sql`
    select refresh_contact_funnel_facts(array_agg(workspace_id), array_agg(contact_id))
    from (select distinct workspace_id, contact_id from stage_history) known`.execute(db);
  await sql`
    create trigger stage_history_inserted_funnel_facts after insert on stage_history
    referencing new table as new_rows for each statement execute function keep_contact_funnel_facts()`.execute(db);
  await sql`
    create trigger stage_history_updated_funnel_facts after update on stage_history
    referencing old table as old_rows new table as changed_rows for each statement execute function keep_contact_funnel_facts()`.execute(
    db,
  );
  await sql`
    create trigger stage_history_deleted_funnel_facts after delete on stage_history
    referencing old table as old_rows for each statement execute function keep_contact_funnel_facts()`.execute(db);
  await sql`analyze contacts`.execute(db);
}
