/**
 * The scripts of `kubelogin completion <shell>`. Each is small and knows no
 * command or flag: at every TAB it runs `<program> __complete <words...>
 * <word being typed>` (src/cli/complete.ts, which reads the command and flag
 * tables) and hands the answer to the shell, honouring cobra's directives
 * (no space, no file names, directories only). Both executable names are
 * completed, so `kubectl-oidc_login ...` completes as `kubelogin ...` does.
 */
import type { CompletionShell } from './command-table.ts';
import { DIRECTIVE } from './complete.ts';
import { COMPLETE_COMMAND } from './fast-parse.ts';

/** The names the program is installed under (the npm package's `bin`, the release's archives and manifests). */
const PROGRAM_NAMES = ['kubelogin', 'kubectl-oidc_login'];

const { error, noSpace, noFileComp, filterDirs } = DIRECTIVE;

const BASH = `# bash completion of kubelogin and kubectl-oidc_login: kubelogin completion bash
# Load it with: source <(kubelogin completion bash)
_kubelogin_complete() {
  local line=\${COMP_LINE:0:COMP_POINT} cur='' word directive=0 entry
  local -a words lines
  read -r -a words <<<"$line"
  if [[ $line != *[[:space:]] ]]; then
    cur=\${words[\${#words[@]}-1]}
    unset 'words[\${#words[@]}-1]'
  fi
  mapfile -t lines < <("\${words[0]}" ${COMPLETE_COMMAND} "\${words[@]:1}" "$cur" 2>/dev/null)
  if (( \${#lines[@]} )) && [[ \${lines[\${#lines[@]}-1]} == :* ]]; then
    directive=\${lines[\${#lines[@]}-1]:1}
    unset 'lines[\${#lines[@]}-1]'
  fi
  COMPREPLY=()
  (( directive & ${error} )) && return 0
  # bash replaces only the part after a '=' (a word break): complete the flag's value alone.
  word=$cur
  [[ $word == -*=* ]] && word=\${word#*=}
  for entry in "\${lines[@]}"; do
    entry=\${entry%%$'\\t'*}
    [[ -n $entry && $entry == "$word"* ]] && COMPREPLY+=("$entry")
  done
  if (( \${#COMPREPLY[@]} == 0 )); then
    if (( directive & ${filterDirs} )); then
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$word")
    elif (( ! (directive & ${noFileComp}) )); then
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$word")
    fi
  fi
  (( directive & ${noSpace} )) && compopt -o nospace 2>/dev/null
  return 0
}
complete -F _kubelogin_complete ${PROGRAM_NAMES.join(' ')}
`;

const ZSH = `#compdef ${PROGRAM_NAMES.join(' ')}
# zsh completion of kubelogin and kubectl-oidc_login: kubelogin completion zsh
# Load it with: source <(kubelogin completion zsh) (after compinit), or save it as _kubelogin in $fpath.
_kubelogin() {
  local -a lines candidates
  local line value directive=0
  lines=("\${(@f)$(\${words[1]} ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  if [[ \${lines[-1]} == :<-> ]]; then
    directive=\${lines[-1]#:}
    lines[-1]=()
  fi
  (( directive & ${error} )) && return 1
  # A flag's value after '=': complete the value, keeping the flag in front of it.
  [[ \${words[CURRENT]} == -*=* ]] && compset -P '*='
  for line in $lines; do
    [[ -z $line ]] && continue
    value=\${line%%$'\\t'*}
    if [[ $line == *$'\\t'* ]]; then
      candidates+=("\${value//:/\\\\:}:\${line#*$'\\t'}")
    else
      candidates+=("\${value//:/\\\\:}")
    fi
  done
  if (( \${#candidates} )); then
    if (( directive & ${noSpace} )); then
      _describe -t values 'kubelogin' candidates -S ''
    else
      _describe -t values 'kubelogin' candidates
    fi
    return
  fi
  if (( directive & ${filterDirs} )); then
    _files -/
  elif (( ! (directive & ${noFileComp}) )); then
    _files
  fi
}
if [[ \${funcstack[1]} == _kubelogin ]]; then
  _kubelogin "$@"
else
  compdef _kubelogin ${PROGRAM_NAMES.join(' ')}
fi
`;

const FISH = `# fish completion of kubelogin and kubectl-oidc_login: kubelogin completion fish
# Load it with: kubelogin completion fish | source
function __kubelogin_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l lines ($tokens[1] ${COMPLETE_COMMAND} $tokens[2..-1] "$current" 2>/dev/null)
    set -l directive 0
    if string match -qr '^:[0-9]+$' -- $lines[-1]
        set directive (string sub -s 2 -- $lines[-1])
        set -e lines[-1]
    end
    test (math "bitand($directive, ${error})") -ne 0; and return
    # A flag's value after '=': fish completes the whole token, so the flag goes in front of each value.
    set -l prefix (string match -r -- '^-[^=]*=' "$current")
    set -l word (string replace -r -- '^-[^=]*=' '' "$current")
    if test (count $lines) -gt 0
        printf '%s\\n' "$prefix"$lines
    else if test (math "bitand($directive, ${filterDirs})") -ne 0
        printf '%s\\n' "$prefix"(__fish_complete_directories "$word")
    else if test (math "bitand($directive, ${noFileComp})") -eq 0
        printf '%s\\n' "$prefix"(__fish_complete_path "$word")
    end
end
${PROGRAM_NAMES.map((name) => `complete -c ${name} -f -a '(__kubelogin_complete)'`).join('\n')}
`;

const POWERSHELL = `# PowerShell completion of kubelogin and kubectl-oidc_login: kubelogin completion powershell
# Load it with: kubelogin completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName ${PROGRAM_NAMES.map((name) => `'${name}'`).join(', ')} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.EndOffset -le $cursorPosition } |
        ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -ne '' -and $words.Count -gt 1) { $words = $words[0..($words.Count - 2)] }
    $program = $words[0]
    $arguments = @($words | Select-Object -Skip 1)
    # Windows PowerShell and the Legacy argument passing drop an empty argument: quote it.
    $typed = $wordToComplete
    if ($typed -eq '' -and $PSNativeCommandArgumentPassing -ne 'Standard') { $typed = '""' }
    $lines = @(& $program ${COMPLETE_COMMAND} @arguments $typed 2>$null)
    $directive = 0
    if ($lines.Count -gt 0 -and $lines[-1] -match '^:(\\d+)$') {
        $directive = [int]$Matches[1]
        $lines = @($lines | Select-Object -SkipLast 1)
    }
    if ($directive -band ${error}) { return }
    $prefix = ''
    if ($wordToComplete -match '^(-[^=]*=)') { $prefix = $Matches[1] }
    foreach ($line in $lines) {
        if ($line -eq '') { continue }
        $value, $description = $line -split "\`t", 2
        if (-not $description) { $description = $value }
        $text = $prefix + $value
        if (-not ($directive -band ${noSpace})) { $text += ' ' }
        [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $description)
    }
}
`;

/** The completion script of a shell. */
export function completionScript(shell: CompletionShell): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
    case 'powershell':
      return POWERSHELL;
  }
}
