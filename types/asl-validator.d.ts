/** asl-validator 4 ships no typings. It is CommonJS: `module.exports = validator`. */
declare module 'asl-validator' {
  export interface AslValidationError {
    'Error code': string;
    Message: string;
    [key: string]: unknown;
  }
  export interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  /** Mutates `definition` (adds QueryLanguage to every state): pass a copy. */
  function validator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): { isValid: boolean; errors: AslValidationError[]; errorsText(separator?: string): string };
  export = validator;
}
