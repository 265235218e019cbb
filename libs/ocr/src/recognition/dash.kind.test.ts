import { describe, expect, it } from 'vitest';
import { dashKind } from './dash.kind.ts';

describe('dashKind', () => {
  it('reads a minus sign as a dash alone, a range between numbers, a hyphen elsewhere', () => {
    const read = ['−', '−−', '2010−2015', '5−7,', '−12,50', '(−0.5)', '519537−X', 'well−known', '−TAX', 'a-b', '2010–2015'].map(dashKind);
    expect(read).toEqual(['–', '––', '2010–2015', '5–7,', '-12,50', '(-0.5)', '519537-X', 'well-known', '-TAX', 'a-b', '2010–2015']);
  });
});
