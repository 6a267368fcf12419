/** The legend: one row per topic with its colour, label and size. */
import type { TopicTerms } from '../math/labels';
import { cssColour, NOISE_COLOUR, topicColour } from '../map/palette';
import { byId, el } from './dom';

export function renderLegend(topics: TopicTerms[], unassigned: number): void {
  const root = byId('legend');
  const rows = topics.map((t) =>
    el(
      'li',
      { title: t.terms.join(', ') },
      el('span', { className: 'swatch', style: { background: cssColour(topicColour(t.topic)) } }),
      el('span', { className: 'label', text: t.label || `Topic ${t.topic + 1}` }),
      el('span', { className: 'count', text: String(t.size) }),
    ),
  );
  if (unassigned > 0) {
    rows.push(
      el(
        'li',
        { className: 'noise' },
        el('span', { className: 'swatch', style: { background: cssColour(NOISE_COLOUR) } }),
        el('span', { className: 'label', text: 'No clear topic' }),
        el('span', { className: 'count', text: String(unassigned) }),
      ),
    );
  }
  root.replaceChildren(el('h3', { text: `Topics · ${topics.length}` }), el('ol', {}, ...rows));
  root.hidden = false;
}
