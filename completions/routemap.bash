# bash completion for routemap                              -*- shell-script -*-
# The options of each command are read from `routemap COMMAND --help`, so
# they stay right as the program changes.

_routemap_opts()
{
    "$1" "$2" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*\|^ *-[a-zA-Z]\b' | tr -d ' ' | sort -u
}

_routemap()
{
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "render route project places batch --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
        --preset)
            COMPREPLY=($(compgen -W "slide-16x9 slide-4x3 a4-landscape a4-portrait square thumbnail" -- "$cur"))
            return ;;
        -f|--format)
            COMPREPLY=($(compgen -W "svg pdf png" -- "$cur"))
            return ;;
        --theme)
            COMPREPLY=($(compgen -W "light dark print" -- "$cur"))
            return ;;
        --mode)
            COMPREPLY=($(compgen -W "rail road river sea walk" -- "$cur"))
            return ;;
        -o|--output|--layout|--georef|--rail|--places|--km-facts)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --data-dir|--out-dir)
            COMPREPLY=($(compgen -d -- "$cur"))
            return ;;
        --jobs)
            COMPREPLY=($(compgen -f -X '!*.jsonl' -- "$cur") $(compgen -d -- "$cur"))
            return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_routemap_opts "${COMP_WORDS[0]}" "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
        render|batch)
            COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")) ;;
    esac
}
complete -F _routemap routemap
