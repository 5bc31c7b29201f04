// Carousels scroll sideways by touch, trackpad or keyboard; a mouse has no sideways wheel,
// so each row gets previous/next buttons. Without JavaScript the rows still scroll.
const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

for (const row of document.querySelectorAll('ul.carousel')) {
  const name = row.getAttribute('aria-label') ?? 'row';
  const controls = document.createElement('div');
  controls.className = 'carousel-controls';
  const button = (label, text, direction) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.setAttribute('aria-label', `${label} ${name}`);
    b.textContent = text;
    b.addEventListener('click', () =>
      row.scrollBy({ left: direction * row.clientWidth * 0.9, behavior: smooth ? 'smooth' : 'auto' }),
    );
    return b;
  };
  const previous = button('Scroll back through', '‹', -1);
  const next = button('Scroll on through', '›', 1);
  controls.append(previous, next);
  const update = () => {
    // A row that fits needs no buttons.
    controls.hidden = row.scrollWidth <= row.clientWidth;
    previous.disabled = row.scrollLeft <= 0;
    next.disabled = row.scrollLeft + row.clientWidth >= row.scrollWidth - 1;
  };
  row.addEventListener('scroll', update, { passive: true });
  window.addEventListener('resize', update);
  update();
  row.closest('section')?.querySelector('.carousel-head')?.append(controls);
}
