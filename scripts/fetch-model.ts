/**
 * Self-hosts a pretrained model: downloads it from the Hugging Face hub (or HF_ENDPOINT / --endpoint)
 * into public/models/<org>/<name>/ in transformers.js layout, for use with ?model=<org>/<name>.
 * Usage: npm run fetch-model -- <org/name> [--endpoint URL] [--revision REV] [--dtype fp32|fp16|q8|…] [--out DIR] [--force]
 * The work is done by scripts/lib/fetch-model.ts.
 */
import { FetchModelError, fetchModel, parseFetchArgs, USAGE } from './lib/fetch-model';

const controller = new AbortController();
const interrupt = () => controller.abort();
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

try {
  const options = parseFetchArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
  } else {
    await fetchModel({ ...options, log: (line) => console.log(line), signal: controller.signal });
  }
} catch (error) {
  // Errors the user can act on are printed as they are; anything else as one line, never a stack.
  const message = error instanceof FetchModelError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  console.error(`fetch-model: ${message}`);
  process.exitCode = controller.signal.aborted ? 130 : 1;
} finally {
  process.off('SIGINT', interrupt);
  process.off('SIGTERM', interrupt);
}
