import { z } from 'zod';
import { identifierProblem, MAX_IDENTIFIER_CHARS } from '../../core/identifiers';

/**
 * A zod string for an identifier a client sends (sender, message id, case id): the checks of
 * `identifierProblem`, reported as one clear issue (`sender: must be well-formed Unicode …`).
 */
export function identifier(maxChars = MAX_IDENTIFIER_CHARS) {
  return z.string().superRefine((value, context) => {
    const problem = identifierProblem(value, maxChars);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
}
