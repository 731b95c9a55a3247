import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { renderStepFixtures, STEP_FIXTURES_FILE } from './opml-step-fixtures.ts';

test('the committed real-model step fixtures of the forge gas snapshot are current', () => {
  // If this fails, the VM, the proof encoding or the model changed: run
  // `npx tsx test/opml-step-fixtures.ts`, then `npm run forge:snapshot`, and review both diffs.
  expect(readFileSync(STEP_FIXTURES_FILE, 'utf8')).toBe(renderStepFixtures());
});
