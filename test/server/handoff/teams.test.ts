import { describe, expect, it } from 'vitest';
import { signedInPerson } from '../helpers/sign-in-as.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { HOUR, handoffDriver } from './handoff-helpers.ts';

const t = useTestApp();
const drive = handoffDriver(t);

interface Member {
  id: string;
  weight: number;
  user: { id: string; role: string } | null;
  available: boolean;
  awayUntil: string | null;
  openHandoffs: number;
}

describe('sales teams in settings and the inbox', () => {
  it('shows the playbook’s teams with accounts, availability and load, and filters the inbox by team', async () => {
    const manager = await signedInPerson(t, 'manager', 'morgan@example.com');
    const riley = await signedInPerson(t, 'rep', 'riley@example.com');
    const loner = await signedInPerson(t, 'rep');
    const back = t.clock.now + 48 * HOUR;
    const away = await manager.call('PUT', '/api/reps/casey@example.com/availability', {
      available: false,
      until: new Date(back).toISOString(),
    });
    expect(away.statusCode).toBe(200);
    // The inbound team is the default: with Casey away, both hand-raisers go to Riley.
    const first = await drive.handRaiser('team-lead-1@example.com');
    const second = await drive.handRaiser('team-lead-2@example.com');
    expect((await drive.contact(first)).owner).toBe('riley@example.com');
    expect((await drive.contact(second)).owner).toBe('riley@example.com');

    const answer = await manager.call('GET', '/api/teams');
    expect(answer.statusCode).toBe(200);
    const view = answer.json();
    expect(view.playbookVersion).toBe(1);
    expect(view.teams.map((team: { id: string }) => team.id)).toEqual(['enterprise', 'inbound']);
    const inbound = view.teams[1];
    expect(inbound).toMatchObject({ label: 'Inbound SDRs', strategy: 'weighted' });
    expect(inbound.manager).toMatchObject({ id: 'morgan@example.com', user: { role: 'manager' } });
    const byId = new Map<string, Member>(inbound.reps.map((rep: Member) => [rep.id, rep]));
    expect(byId.get('riley@example.com')).toMatchObject({
      weight: 2,
      user: { id: riley.id, role: 'rep' },
      available: true,
      openHandoffs: 2,
    });
    expect(byId.get('casey@example.com')).toMatchObject({
      user: null,
      available: false,
      awayUntil: new Date(back).toISOString(),
      openHandoffs: 0,
    });
    expect(view.outsideTeams).toEqual([{ id: loner.id, email: loner.email, role: 'rep' }]);

    const inboundQueue = (await manager.call('GET', '/api/handoffs?team=inbound')).json().items;
    expect(inboundQueue.map((item: { contactId: string }) => item.contactId).sort()).toEqual([first, second].sort());
    expect((await manager.call('GET', '/api/handoffs?team=enterprise')).json().items).toEqual([]);
    // A rep sees their own queue whatever team they ask for.
    const lonerQueue = await loner.call('GET', '/api/handoffs?team=inbound');
    expect(lonerQueue.json().items).toEqual([]);
  });
});
