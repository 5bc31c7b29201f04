// Forms marked data-auto-submit submit when a select changes, so the sort selector needs no
// button click; the button stays for visitors without JavaScript and is hidden otherwise.
for (const form of document.querySelectorAll('form[data-auto-submit]')) {
  for (const button of form.querySelectorAll('[data-auto-submit-button]')) button.hidden = true;
  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement) form.requestSubmit();
  });
}
