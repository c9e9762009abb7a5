import { describe, expect, it } from 'vitest';
import { statusOf } from '../../src/review/status.ts';

const r = (reviewer: string, decision: string) => ({ reviewer, decision });

describe('statusOf', () => {
  it('needs the configured number of distinct confirmations', () => {
    expect(statusOf([], 2)).toBe('new');
    expect(statusOf([r('anna', 'confirm')], 2)).toBe('in_review');
    expect(statusOf([r('anna', 'confirm'), r('anna', 'confirm')], 2)).toBe('in_review');
    expect(statusOf([r('anna', 'confirm'), r('boris', 'confirm')], 2)).toBe('confirmed');
    expect(statusOf([r('anna', 'confirm')], 1)).toBe('confirmed');
  });

  it('escalates on disagreement or an explicit escalation', () => {
    expect(statusOf([r('anna', 'confirm'), r('boris', 'dismiss')], 2)).toBe('escalated');
    expect(statusOf([r('anna', 'escalate')], 2)).toBe('escalated');
  });

  it('counts only the latest decision of each reviewer', () => {
    expect(statusOf([r('anna', 'dismiss'), r('boris', 'confirm'), r('anna', 'confirm')], 2)).toBe(
      'confirmed',
    );
    expect(statusOf([r('anna', 'dismiss'), r('boris', 'dismiss')], 2)).toBe('dismissed');
  });
});
