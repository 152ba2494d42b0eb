/** One factory per risk-engine failure; codes are a public contract. Messages never say which indicator fired. */
import { AppError } from '../../platform/errors.ts';

export const revealDenied = () =>
  new AppError(
    'forbidden',
    'risk.denied',
    'This request was refused because it looks too risky. Contact your security team if you need this access.',
  );
/** The same code as the vault's step-up refusal, so clients step up inline; `reason` tells it came from risk. */
export const revealStepUp = () =>
  new AppError(
    'forbidden',
    'auth.step_up_required',
    'Confirm with a second factor first (step-up): this request needs a fresh one.',
    { reason: 'risk' },
  );
export const assessmentNotFound = () =>
  new AppError('not_found', 'risk.assessment_not_found', 'There is no such risk assessment.');
export const listEmpty = () =>
  new AppError('validation', 'risk.list_empty', 'The list has no valid address or CIDR in it.');
export const listTooLarge = (max: number) =>
  new AppError('payload_too_large', 'risk.list_too_large', `A list holds at most ${max} entries.`, { max });
export const unknownIndicator = (id: string) =>
  new AppError('validation', 'risk.unknown_indicator', `There is no indicator "${id}".`, { indicator: id });
