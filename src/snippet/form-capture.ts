/** Forms carrying this attribute are captured when submitted; no other form is read. */
export const CAPTURE_ATTRIBUTE = 'data-ripen-capture';

/** Fields whose name, id or autocomplete says payment card or secret: never read. */
const SECRET = /pass|card|cc-|ccnum|cvc|cvv|csc|expir|secur|iban|ssn|pin\b/i;
const NEVER_READ = new Set(['password', 'hidden', 'file', 'submit', 'button', 'reset', 'image']);

export interface CapturedForm {
  form: string;
  fields: Record<string, string>;
  email: string | null;
}

/**
 * Reads a captured form's fields: text the visitor typed or chose, by field name. Password,
 * hidden, file and payment-card fields (by type, name or autocomplete, or a value that looks
 * like a card number) and fields marked `data-ripen-ignore` are skipped without reading.
 */
export function readForm(form: HTMLFormElement): CapturedForm {
  const fields: Record<string, string> = {};
  let email: string | null = null;
  for (const input of Array.from(form.elements)) {
    const readable =
      input instanceof HTMLInputElement || input instanceof HTMLSelectElement || input instanceof HTMLTextAreaElement;
    if (!readable) continue;
    const type = input.type.toLowerCase();
    const label = `${input.name} ${input.id} ${input.getAttribute('autocomplete') ?? ''}`;
    if (!input.name || input.disabled || NEVER_READ.has(type) || SECRET.test(label)) continue;
    if (input.hasAttribute('data-ripen-ignore')) continue;
    if (input instanceof HTMLInputElement && (type === 'checkbox' || type === 'radio') && !input.checked) continue;
    const value = input.value.trim().slice(0, 1000);
    if (value === '' || /^[\d -]{13,23}$/.test(value)) continue;
    fields[input.name] = value;
    if (email === null && (type === 'email' || /e-?mail/i.test(input.name)) && value.includes('@')) email = value;
  }
  const name = form.getAttribute(CAPTURE_ATTRIBUTE) || form.id || form.getAttribute('name') || location.pathname;
  return { form: name, fields, email };
}
