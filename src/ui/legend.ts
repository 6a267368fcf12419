/** The legend: one row per topic with its colour, label and size. */
import type { TopicTerms } from '../math/labels';
import { cssColour, NOISE_COLOUR, topicColour } from '../map/palette';
import { byId, el } from './dom';

/** Renders the legend; clicking a topic selects its papers (Shift adds, Alt subtracts). */
export function renderLegend(topics: TopicTerms[], unassigned: number, onTopic: (topic: number, modifiers: { add: boolean; subtract: boolean }) => void): void {
  const root = byId('legend');
  const rows = topics.map((t) => {
    const row = el(
      'li',
      {},
      el(
        'button',
        { className: 'topic', title: `${t.terms.join(', ')} — click to select (Shift adds, Alt subtracts)`, attrs: { 'data-topic': String(t.topic) } },
        el('span', { className: 'swatch', style: { background: cssColour(topicColour(t.topic)) } }),
        el('span', { className: 'label', text: t.label || `Topic ${t.topic + 1}` }),
        el('span', { className: 'count', text: String(t.size) }),
      ),
    );
    row.querySelector('button')!.addEventListener('click', (event) => onTopic(t.topic, { add: event.shiftKey, subtract: event.altKey }));
    return row;
  });
  if (unassigned > 0) {
    rows.push(
      el(
        'li',
        { className: 'noise' },
        el(
          'span',
          { className: 'topic' },
          el('span', { className: 'swatch', style: { background: cssColour(NOISE_COLOUR) } }),
          el('span', { className: 'label', text: 'No clear topic' }),
          el('span', { className: 'count', text: String(unassigned) }),
        ),
      ),
    );
  }
  root.replaceChildren(el('h3', { text: `Topics · ${topics.length}` }), el('ol', {}, ...rows));
  root.hidden = false;
}
