import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FormField, parseForm } from './form-body.ts';

const fields: FormField[] = [
  { name: 'name', label: 'Name', kind: 'text', required: true },
  { name: 'year', label: 'Year', kind: 'integer' },
  { name: 'tags', label: 'Tags', kind: 'list' },
  { name: 'note', label: 'Note', kind: 'textarea' },
];
const schema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  year: z.number().max(2200, 'must be 2200 or earlier').nullable().optional(),
  tags: z.array(z.string()).optional(),
  note: z.string().nullable().optional(),
});

describe('parseForm', () => {
  it('leaves empty fields out of a new record and clears them on an edit', () => {
    const values = { name: ' Heat ', year: ' ', tags: ' , ', note: '' };
    expect(parseForm(values, fields, schema, 'create')).toEqual({ ok: true, body: { name: 'Heat' } });
    expect(parseForm(values, fields, schema, 'edit')).toEqual({
      ok: true,
      body: { name: 'Heat', year: null, tags: [], note: null },
    });
  });

  it('turns digits into numbers and a comma list into trimmed items', () => {
    const result = parseForm(
      { name: 'x', year: '1995', tags: 'Crime,  Drama ,', note: ' a\nb ' },
      fields,
      schema,
      'create',
    );
    expect(result).toEqual({ ok: true, body: { name: 'x', year: 1995, tags: ['Crime', 'Drama'], note: 'a\nb' } });
  });

  it('reports conversion and schema errors per field, the conversion error first', () => {
    const result = parseForm({ name: '', year: '19x5', tags: '', note: 'a\u0000b' }, fields, schema, 'create');
    expect(result).toEqual({
      ok: false,
      status: 400,
      errors: { name: 'must not be empty', year: 'must be a whole number', note: 'must not contain NUL characters' },
    });
    expect(parseForm({ name: 'x', year: '3000' }, fields, schema, 'create')).toMatchObject({
      errors: { year: 'must be 2200 or earlier' },
    });
  });
});
