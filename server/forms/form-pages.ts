/**
 * What every owner form page shares: the owner-only guard, rendering a form (with the
 * user's text and an error beside each field) and a delete confirmation. The feature
 * folders (titles.forms.ts, seasons.forms.ts) say which fields, schema and repository.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../http/errors.ts';
import { isOwner } from '../http/owner.ts';
import type { Views } from '../http/views.ts';
import type { FieldErrors, FormField, FormValues } from './form-body.ts';

/**
 * Visitors get a 403 for every form URL, GET included: the public reaches the dashboard
 * through a tunnel, and the forms are the one way to change the catalogue from a browser.
 */
export const requireOwnerPage: MiddlewareHandler = async (c, next) => {
  if (!isOwner(c)) {
    throw new AppError(
      403,
      'auth.owner_only',
      'Only the owner can add, edit or delete titles. Sign in with “Open Dashboard” in the MediaCanon tray menu.',
    );
  }
  await next();
};

export interface FormPage {
  heading: string;
  /** Where the form posts (the page's own URL) and where Cancel goes. */
  action: string;
  cancel: string;
  submit: string;
  fields: readonly FormField[];
  values: FormValues;
  errors?: FieldErrors;
  /** Edit forms link to the delete confirmation of what they edit. */
  remove?: { label: string; href: string };
}

/** 200 for a fresh form; 400 (or 409 for a duplicate) when it comes back with errors. */
export function renderForm(views: Views, c: Context, page: FormPage, status: 200 | 400 | 409 = 200) {
  c.header('Cache-Control', 'no-store');
  const errors = page.errors ?? {};
  // Errors the page shows in its summary, in the order of the fields, then the form's own.
  const summary = [
    ...page.fields
      .filter((f) => errors[f.name])
      .map((f) => ({ name: f.name, label: f.label, message: errors[f.name] })),
    ...(errors[''] ? [{ name: '', label: '', message: errors[''] }] : []),
  ];
  // Everything a form edits is reached from the titles section, so that nav entry stays current.
  return views.render(c, 'forms/edit', { ...page, title: page.heading, section: 'titles', errors, summary }, status);
}

export interface DeletePage {
  /** What is deleted, as the owner knows it: "the movie “Heat” (1995)". */
  subject: string;
  action: string;
  cancel: string;
  /** What goes with it, e.g. its seasons and episodes. */
  consequence?: string;
}

export function renderDelete(views: Views, c: Context, page: DeletePage) {
  c.header('Cache-Control', 'no-store');
  return views.render(c, 'forms/delete', { ...page, title: `Delete ${page.subject}?`, section: 'titles' });
}
