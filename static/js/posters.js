// A poster or still whose address no longer answers (TMDB moved it, the network is offline)
// gets the same lettered placeholder as a title without one, instead of a broken image.
const placeholder = (img) => {
  const box = document.createElement('span');
  box.className = `${img.className} poster-missing`;
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', img.alt);
  const letter = document.createElement('span');
  letter.setAttribute('aria-hidden', 'true');
  letter.textContent = img.dataset.letter ?? '';
  box.append(letter);
  img.replaceWith(box);
};
const isPoster = (node) =>
  node instanceof HTMLImageElement && (node.matches('img.poster') || node.matches('img.still'));

// Errors do not bubble, but they can be caught on the way down.
document.addEventListener('error', (event) => isPoster(event.target) && placeholder(event.target), true);
// Images that failed before this deferred script ran.
for (const img of document.querySelectorAll('img.poster, img.still')) {
  if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) placeholder(img);
}
