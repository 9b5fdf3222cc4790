import { useEffect, useId, useMemo, useState } from 'react';
import { Card } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { type Knob, type KnobPath, readKnobs } from './draft-knobs.ts';

/**
 * The common settings of the draft as a form beside its YAML. Both edit the same text: a
 * field changes only its value in the YAML (comments and layout stay), and the fields follow
 * whatever the YAML says.
 */
export function PlaybookForm({
  source,
  onSet,
}: {
  source: string;
  onSet: (path: KnobPath, value: number | string) => void;
}) {
  const { t } = useFormat();
  const sections = useMemo(() => readKnobs(source), [source]);
  return (
    <Card title={t('playbook.form.title')}>
      <div className="knob-form" data-testid="playbook-form">
        {sections === null ? (
          <p className="muted">{t('playbook.form.unreadable')}</p>
        ) : (
          sections.map((section) => (
            <section key={section.id} className="knob-section">
              <h3>{t(`playbook.form.${section.id}`)}</h3>
              {section.groups.map((group) => (
                <fieldset key={group.title ?? section.id} className="knob-group">
                  {group.title !== null && <legend>{group.title}</legend>}
                  {group.knobs.map((knob) => (
                    <KnobField key={knob.path.join('.')} knob={knob} onChange={(value) => onSet(knob.path, value)} />
                  ))}
                </fieldset>
              ))}
            </section>
          ))
        )}
      </div>
    </Card>
  );
}

/** One setting. What is typed stays as typed until it is a value the YAML can take. */
function KnobField({ knob, onChange }: { knob: Knob; onChange: (value: number | string) => void }) {
  const { t } = useFormat();
  const id = useId();
  const [text, setText] = useState(String(knob.value));
  // The YAML changed under the field (typed in the editor, discarded): show what it says now.
  useEffect(() => {
    setText((typed) => (parseValue(knob, typed) === knob.value ? typed : String(knob.value)));
  }, [knob]);
  const label = 'text' in knob.label ? knob.label.text : t(knob.label.id, knob.label.values);
  return (
    <div className={knob.kind === 'text' ? 'knob wide' : 'knob'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={knob.kind === 'number' ? 'number' : 'text'}
        step={knob.kind === 'number' ? 'any' : undefined}
        inputMode={knob.kind === 'number' ? 'decimal' : undefined}
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          const value = parseValue(knob, event.target.value);
          if (value !== null) onChange(value);
        }}
      />
    </div>
  );
}

function parseValue(knob: Knob, text: string): number | string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (knob.kind === 'number') {
    const value = Number(trimmed);
    return Number.isFinite(value) ? value : null;
  }
  return trimmed;
}
