# SPDX-License-Identifier: GPL-2.0
# bash completion for offloadmod-ctl(8).
# Keep the word lists in step with main.c (objects, options) and each
# object's commands; tests/completion.sh checks them against --help.

_offloadmod_ctl_objects="status help"
_offloadmod_ctl_options="-j --json -p --pretty -V --version -h --help"

# Commands of each object (first word after it).
_offloadmod_ctl_commands()
{
	case $1 in
	status)	echo "show help" ;;
	help)	echo "$_offloadmod_ctl_objects" ;;
	esac
}

_offloadmod_ctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local i obj="" objidx=0 full

	COMPREPLY=()
	# The object is the first word that is not an option.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-V|--version|-h|--help)
			return 0 ;;	# these end the command line
		-*)	;;
		*)	obj=${COMP_WORDS[i]}; objidx=$i; break ;;
		esac
	done

	if [[ -z $obj ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_offloadmod_ctl_options" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_offloadmod_ctl_objects" -- "$cur"))
		fi
		return 0
	fi

	# The tool accepts unique abbreviations; so does completion.
	full=($(compgen -W "$_offloadmod_ctl_objects" -- "$obj"))
	[[ ${#full[@]} -eq 1 ]] || return 0

	if ((COMP_CWORD == objidx + 1)); then
		COMPREPLY=($(compgen -W "$(_offloadmod_ctl_commands "${full[0]}")" -- "$cur"))
	fi
	return 0
}

complete -F _offloadmod_ctl offloadmod-ctl
