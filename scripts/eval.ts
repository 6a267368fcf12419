/**
 * npm run eval -- <corpus.jsonl|csv|json> [--label-field label] [--model <id>] [--models <dir>] [--json]
 *   Runs the app's pipeline on a labeled corpus in Node, beside a TF-IDF cosine baseline, and reports
 *   how well each agrees with the labels (see scripts/lib/eval.ts).
 * npm run eval -- --shipped [--model <id>] [--models <dir>] [--json]
 *   The shipped corpus, each paper labeled by the first listing page it was found on.
 * npm run eval -- --dev [--sizes 300,3000,30000] [--json]
 *   The development table: held-out arXiv papers at archive and category level, for the embedded model
 *   with and without the fit to the corpus, the previous model, TF-IDF and corpus-only LSA (lib/eval-dev.ts).
 * Progress goes to stderr.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { evaluate, formatReport, type LabeledCorpus } from './lib/eval';
import { paperText } from '../src/corpus/text';
import type { Corpus } from '../src/corpus/types';
import { DEV_SIZES, evaluateDev, formatDevReport } from './lib/eval-dev';

const SHIPPED = 'public/corpus/corpus.json';

/** The shipped corpus, each paper labeled by the first listing page it was found on (a topical search page). */
function shippedBySourcePage(): LabeledCorpus {
  const corpus = JSON.parse(readFileSync(SHIPPED, 'utf8')) as Corpus;
  const pages = [...new Set(corpus.papers.map((p) => p.sources[0]!))].sort();
  return {
    file: `${SHIPPED} (label: first source page)`,
    texts: corpus.papers.map(paperText),
    labels: Int32Array.from(corpus.papers, (p) => pages.indexOf(p.sources[0]!)),
    labelNames: pages,
    unlabeled: 0,
    warnings: [],
  };
}

const usage = 'usage: npm run eval -- <corpus.jsonl|csv|json> [--label-field label] [--model <id>] [--models <dir>] [--json]\n       npm run eval -- --shipped [--model <id>] [--models <dir>] [--json]\n       npm run eval -- --dev [--sizes 300,3000,30000] [--json]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'label-field': { type: 'string', default: 'label' },
        model: { type: 'string' },
        models: { type: 'string' },
        json: { type: 'boolean', default: false },
        dev: { type: 'boolean', default: false },
        shipped: { type: 'boolean', default: false },
        sizes: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (values.dev) {
    const sizes = values.sizes ? values.sizes.split(',').map(Number) : DEV_SIZES;
    if (sizes.some((n) => !Number.isInteger(n) || n < 40)) {
      console.error(`--sizes takes whole numbers of papers, 40 or more: ${values.sizes}`);
      return 2;
    }
    try {
      const report = await evaluateDev({ sizes, say: (line) => console.error(line) });
      console.log(values.json ? JSON.stringify(report, null, 2) : formatDevReport(report));
      return 0;
    } catch (error) {
      console.error(`eval failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  if (values.shipped) positionals.push(SHIPPED);
  if (positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  try {
    const input = positionals[0] === SHIPPED ? shippedBySourcePage() : positionals[0]!;
    const report = await evaluate(input, {
      labelField: values['label-field'],
      ...(values.model ? { modelId: values.model } : {}),
      ...(values.models ? { modelsDir: values.models } : {}),
      onProgress: (line) => console.error(line),
    });
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } catch (error) {
    console.error(`eval failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main();
