/**
 * HTML forms → the JSON bodies the API takes. A form sends every field as text; this turns
 * the text into the body shape (numbers, lists, null for a cleared field) and validates it
 * with the API's own zod schema, so a rule lives in one place. What cannot be converted
 * (letters in a year) and what the schema refuses both come back per field, to be shown
 * next to the input.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../http/errors.ts';

export type FieldKind = 'text' | 'textarea' | 'integer' | 'date' | 'url' | 'list' | 'select';

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  /** Sent as typed even when empty, so the schema's "must not be empty" speaks. */
  required?: boolean;
  hint?: string;
  options?: readonly { value: string; label: string }[];
}

/** Create forms leave an empty field out; edit forms send null to clear the stored value. */
export type FormMode = 'create' | 'edit';

/** The text of each field as the user typed it: what a re-rendered form shows. */
export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

/** A refused form: 400 for what the schema refuses, 409 for a duplicate the database refused. */
export type FormResult<T> = { ok: true; body: T } | { ok: false; errors: FieldErrors; status: 400 | 409 };

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** The submitted text of the fields named in `fields`; anything else posted is ignored. */
export async function readForm(c: Context, fields: readonly FormField[]): Promise<FormValues> {
  if (!FORM_TYPES.test(c.req.header('content-type') ?? '')) {
    throw new AppError(
      415,
      'request.unsupported_media_type',
      'a form must be sent as a form (urlencoded or multipart)',
    );
  }
  const posted = await c.req.parseBody();
  const values: FormValues = {};
  for (const field of fields) {
    const value = posted[field.name];
    values[field.name] = typeof value === 'string' ? value : '';
  }
  return values;
}

type Converted = { value: unknown } | { error: string } | null;

function convert(field: FormField, text: string, mode: FormMode): Converted {
  if (text.includes('\u0000')) return { error: 'must not contain NUL characters' };
  const trimmed = text.trim();
  if (field.kind === 'list') {
    const items = trimmed
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return items.length === 0 && mode === 'create' ? null : { value: items };
  }
  if (trimmed === '' && !field.required) return mode === 'edit' ? { value: null } : null;
  if (field.kind === 'integer') {
    return /^-?\d{1,15}$/.test(trimmed) ? { value: Number(trimmed) } : { error: 'must be a whole number' };
  }
  // Trimmed: a pasted IMDb id or code with a stray space is what the owner meant.
  return { value: trimmed };
}

/** Converts the form's text and validates it with `schema`, the one the JSON API uses. */
export function parseForm<S extends z.ZodType>(
  values: FormValues,
  fields: readonly FormField[],
  schema: S,
  mode: FormMode,
): FormResult<z.output<S>> {
  const body: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of fields) {
    const converted = convert(field, values[field.name] ?? '', mode);
    if (converted === null) continue;
    if ('error' in converted) errors[field.name] = converted.error;
    else body[field.name] = converted.value;
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '');
      // The first problem with a field is the one worth reading; a conversion error wins.
      errors[fields.some((f) => f.name === name) ? name : ''] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, status: 400 };
  return { ok: true, body: result.data as z.output<S> };
}

/**
 * Runs the repository write; a duplicate it refuses (409: an IMDb id or number taken) comes
 * back as an error next to the field it is about. Anything else is not the form's business
 * and goes on to the error handler.
 */
export async function saveForm<T>(
  write: () => Promise<T>,
  fieldByCode: Record<string, string>,
): Promise<FormResult<T>> {
  try {
    return { ok: true, body: await write() };
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 409) throw error;
    return { ok: false, errors: { [fieldByCode[error.code] ?? '']: error.message }, status: 409 };
  }
}

/** The text a form shows for a stored value. */
export function formText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export function valuesOf(record: Record<string, unknown>, fields: readonly FormField[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, formText(record[field.name])]));
}
