import { describe, expect, it } from 'vitest';
import { safeLink } from '../../src/ui/details';

describe('safeLink', () => {
  it('links http(s) URLs only', () => {
    expect(safeLink('https://arxiv.org/abs/2301.00101')).toBe('https://arxiv.org/abs/2301.00101');
    expect(safeLink('http://example.org/a b')).toBe('http://example.org/a%20b');
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', 'arxiv.org/abs/1', '', null, undefined]) {
      expect(safeLink(url), String(url)).toBeNull();
    }
  });
});
