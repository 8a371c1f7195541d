// `es-scaler completion bash|zsh`: a completion script generated from the command tree itself, so
// it never lists a command or option the CLI does not have. zsh loads the bash script through
// bashcompinit.
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  path: string;
  words: string[];
}

export function completionScript(program: Command, shell: Shell): string {
  const nodes = collect(program, '');
  const choices = allOptions(program).filter((o) => o.argChoices && o.argChoices.length > 0);
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}_completion`;
  const bash = `# ${name} completion for ${shell}; load it with: source <(${name} completion ${shell})
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" word words
  case "$prev" in
${choices.map((o) => `    ${optionFlags(o).join('|')}) COMPREPLY=($(compgen -W "${o.argChoices!.join(' ')}" -- "$cur")); return ;;`).join('\n')}
  esac
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$path/$word" in
      ${nodes.filter((n) => n.path !== '').map((n) => n.path).join('|')}) path="$path/$word" ;;
    esac
  done
  case "$path" in
${nodes.map((n) => `    "${n.path}") words="${n.words.join(' ')}" ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F ${fn} ${name}
`;
  return shell === 'zsh' ? `#compdef ${name}\nautoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

/** Every command path ("", "/schedules", "/schedules/pause", ...) with the words it completes. */
function collect(command: Command, path: string): Node[] {
  const subcommands = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const words = [...subcommands.map((c) => c.name()), ...inheritedOptions(command).flatMap(optionFlags), '--help'];
  return [{ path, words: [...new Set(words)] }, ...subcommands.flatMap((c) => collect(c, `${path}/${c.name()}`))];
}

function inheritedOptions(command: Command): readonly Option[] {
  const own = command.options.filter((o) => !o.hidden);
  return command.parent ? [...own, ...inheritedOptions(command.parent)] : own;
}

function allOptions(command: Command): Option[] {
  return [...command.options, ...command.commands.flatMap(allOptions)];
}

function optionFlags(option: Option): string[] {
  return [option.short, option.long].filter((flag): flag is string => flag !== undefined);
}
