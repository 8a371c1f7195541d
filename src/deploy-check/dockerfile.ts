// Static checks of deploy/Dockerfile for the deploy tests (dev dependencies only): the Dockerfile
// language server's parser (dockerfile-ast) and linter (dockerfile-utils), as used by editors.
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';

export interface DockerfileInstruction {
  keyword: string;
  /** Arguments as written, flags included (`--from=build /app/lib ./lib`). */
  args: string;
  line: number;
}

export interface DockerfileStage {
  /** `AS` name, or undefined for an unnamed stage. */
  name: string | undefined;
  /** Base image with global ARG defaults substituted. */
  image: string;
  instructions: DockerfileInstruction[];
}

/** Every problem the linter reports at warning level or above, as `line N: message`. */
export function lintDockerfile(text: string): string[] {
  const strict: ValidatorSettings = {
    deprecatedMaintainer: ValidationSeverity.ERROR,
    directiveCasing: ValidationSeverity.ERROR,
    emptyContinuationLine: ValidationSeverity.ERROR,
    instructionCasing: ValidationSeverity.ERROR,
    instructionCmdMultiple: ValidationSeverity.ERROR,
    instructionEntrypointMultiple: ValidationSeverity.ERROR,
    instructionHealthcheckMultiple: ValidationSeverity.ERROR,
    instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
    instructionWorkdirRelative: ValidationSeverity.ERROR,
  };
  return validate(text, strict).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

/** The build stages in order, each with its resolved base image and its instructions. */
export function dockerfileStages(text: string): DockerfileStage[] {
  const dockerfile = DockerfileParser.parse(text);
  const globals = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    const name = property?.getName();
    if (name) globals.set(name, property?.getValue() ?? '');
  }
  const stages: DockerfileStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = instruction as Instruction & { getImage(): string | null; getBuildStage(): string | null };
      stages.push({ name: from.getBuildStage() ?? undefined, image: substitute(from.getImage() ?? '', globals), instructions: [] });
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) continue; // global ARGs before the first FROM
    const args = instruction.getTextContent().trim().slice(instruction.getInstruction().length).trim();
    current.instructions.push({ keyword, args, line: instruction.getRange().start.line + 1 });
  }
  return stages;
}

/** Parses the JSON (exec) form of CMD/ENTRYPOINT, or returns undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[')) return undefined;
  const parsed = JSON.parse(trimmed) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) return undefined;
  return parsed;
}

function substitute(value: string, vars: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    return vars.get(name) ?? whole;
  });
}
