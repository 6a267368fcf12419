/**
 * The Hugging Face files that make a folder loadable by transformers.js as a BERT-style
 * feature-extraction model: tokenizer.json (WordPiece), tokenizer_config.json and config.json.
 */
import { SPECIAL_TOKENS } from '../../../src/model/vocab';

export interface StaticModelInfo {
  id: string;
  dims: number;
  vocab: string[];
  /** What the vectors were fitted on and how: written into config.json so the model describes itself. */
  provenance: Record<string, unknown>;
}

/** Inputs longer than this are truncated; a static model has no position limit, this only bounds memory. */
export const MAX_TOKENS = 1024;

export function tokenizerJson(vocab: string[]): unknown {
  const id = (token: string) => vocab.indexOf(token);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

export function tokenizerConfigJson(): unknown {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: MAX_TOKENS,
    clean_up_tokenization_spaces: true,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
}

export function configJson(info: StaticModelInfo): unknown {
  return {
    _name_or_path: info.id,
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: info.dims,
    vocab_size: info.vocab.length,
    max_position_embeddings: MAX_TOKENS,
    pad_token_id: 0,
    papermap: info.provenance,
  };
}
