# SPDX-License-Identifier: GPL-2.0
# bash completion for offloadmod-ctl(8).
# Keep the word lists in step with main.c (objects, options) and each
# object's commands; tests/completion.sh checks them against --help.

_offloadmod_ctl_objects="status stats help"
_offloadmod_ctl_options="-j --json -p --pretty -V --version -h --help"
_offloadmod_ctl_stages="rx_stack rx_wait tx_stack tx_qdisc sched_wait"

# Commands of each object (first word after it).
_offloadmod_ctl_commands()
{
	case $1 in
	status)	echo "show help" ;;
	stats)	echo "show hist top reset help" ;;
	help)	echo "$_offloadmod_ctl_objects" ;;
	esac
}

# Cgroup directories as TARGETs: relative to the cgroup2 root, or
# absolute when the word starts with a slash.
_offloadmod_ctl_targets()
{
	local root=${OFFLOADMOD_CGROUP_ROOT:-/sys/fs/cgroup} d

	root=${root%/}
	if [[ $1 == /* ]]; then
		while IFS= read -r d; do
			COMPREPLY+=("$d/")
		done < <(compgen -d -- "$1")
	else
		while IFS= read -r d; do
			COMPREPLY+=("${d#"$root"/}/")
		done < <(compgen -d -- "$root/$1")
	fi
	# Go on into the directory; outside a completion this just fails.
	compopt -o nospace 2>/dev/null
	return 0
}

# Arguments of "stats COMMAND": $1 is the index of COMMAND.
_offloadmod_ctl_stats()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd words="" i nargs=0
	local recursive="" used="" kw

	cmd=($(compgen -W "$(_offloadmod_ctl_commands stats)" -- "${COMP_WORDS[$1]}"))
	[[ ${#cmd[@]} -eq 1 ]] || return 0
	for ((i = $1 + 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == recursive ]]; then
			recursive=1
		else
			nargs=$((nargs + 1))
		fi
	done

	case $cmd in
	show|reset)
		if ((nargs == 0)); then
			_offloadmod_ctl_targets "$cur"
			return 0
		fi
		[[ -n $recursive ]] || words="recursive"
		;;
	hist)
		if ((nargs == 0)); then
			_offloadmod_ctl_targets "$cur"
			return 0
		fi
		if ((nargs == 1)); then
			words=$_offloadmod_ctl_stages
		elif [[ -z $recursive ]]; then
			words="recursive"
		fi
		;;
	top)
		# KEYWORD VALUE pairs; nothing to offer for a value.
		for ((i = $1 + 1; i < COMP_CWORD; i += 2)); do
			kw=($(compgen -W "interval count" -- "${COMP_WORDS[i]}"))
			[[ ${#kw[@]} -eq 1 ]] || return 0
			((i + 1 == COMP_CWORD)) && return 0
			used="$used $kw"
		done
		for kw in interval count; do
			[[ " $used " == *" $kw "* ]] || words="$words $kw"
		done
		;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
	return 0
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
	elif [[ ${full[0]} == stats ]]; then
		_offloadmod_ctl_stats $((objidx + 1))
	fi
	return 0
}

complete -F _offloadmod_ctl offloadmod-ctl
