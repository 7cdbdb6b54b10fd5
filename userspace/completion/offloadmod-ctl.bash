# SPDX-License-Identifier: GPL-2.0
# bash completion for offloadmod-ctl(8).
# Keep the word lists in step with main.c (objects, options) and each
# object's commands; tests/completion.sh checks them against --help.

_offloadmod_ctl_objects="status stats policy dev monitor trace fastpath help"
_offloadmod_ctl_options="-j --json -p --pretty -V --version -h --help"
_offloadmod_ctl_stages="rx_stack rx_wait tx_stack tx_qdisc sched_wait"
_offloadmod_ctl_policy_settings="gso gso-max-size gso-max-segs busy-poll mode"
_offloadmod_ctl_dev_settings="tso gso gro lro rx-gro-hw tx-checksumming"
_offloadmod_ctl_dev_settings+=" gso-max-size gro-max-size gro-flush-timeout napi-defer-hard-irqs"

# Commands of each object (first word after it).
_offloadmod_ctl_commands()
{
	case $1 in
	status)	echo "show help" ;;
	stats)	echo "show hist top reset help" ;;
	policy|dev) echo "set show del help" ;;
	monitor) echo "count help" ;;
	trace)	echo "duration help" ;;
	fastpath) echo "enable disable show help" ;;
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

# Values of a KEYWORD of policy or dev, into COMPREPLY.
_offloadmod_ctl_value()
{
	local cur=$2 words=""

	case $1 in
	mode)	words="enforce audit" ;;
	netns)	words=$(ls /run/netns 2>/dev/null) ;;
	*-*size|*-*segs|busy-poll|gro-flush-timeout|napi-defer-hard-irqs) ;;
	*)	words="on off" ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

# Arguments of "policy COMMAND" or "dev COMMAND": $1 is the object, $2
# the index of COMMAND. The tool takes one positional word (TARGET,
# PATTERN) and KEYWORD VALUE pairs; a word spelled like a keyword is one.
_offloadmod_ctl_policy()
{
	local obj=$1 cur=${COMP_WORDS[COMP_CWORD]} cmd kws="" i w k
	local pos="" used=" " words=""

	cmd=($(compgen -W "$(_offloadmod_ctl_commands "$obj")" -- "${COMP_WORDS[$2]}"))
	[[ ${#cmd[@]} -eq 1 ]] || return 0
	case $obj/$cmd in
	policy/set)	kws=$_offloadmod_ctl_policy_settings ;;
	policy/show|policy/del) ;;
	dev/set)	kws="netns $_offloadmod_ctl_dev_settings" ;;
	dev/show|dev/del) kws="netns" ;;
	*)		return 0 ;;
	esac
	for ((i = $2 + 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		k=""
		if [[ " $kws " == *" $w "* ]]; then
			k=$w
		elif [[ -z $pos ]]; then
			pos=$w
			continue
		else
			k=($(compgen -W "$kws" -- "$w"))
			[[ ${#k[@]} -eq 1 ]] || return 0
		fi
		if ((i + 1 == COMP_CWORD)); then
			_offloadmod_ctl_value "$k" "$cur"
			return 0
		fi
		used="$used$k "
		i=$((i + 1))
	done
	if [[ -z $pos ]]; then
		if [[ $obj == policy ]]; then
			_offloadmod_ctl_targets "$cur"
			return 0
		fi
		# Interface names for a pattern; show needs none.
		words=$(ls /sys/class/net 2>/dev/null)
		[[ $cmd != show || $used == *" netns "* ]] || words="$words netns"
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return 0
	fi
	for k in $kws; do
		[[ $used == *" $k "* ]] || words="$words $k"
	done
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

	if [[ ${full[0]} == trace ]]; then
		# No COMMAND word: [ duration SECONDS ] [ TARGET ... ].
		[[ ${COMP_WORDS[COMP_CWORD - 1]} == duration ]] && return 0
		COMPREPLY=($(compgen -W "$(_offloadmod_ctl_commands trace)" -- "$cur"))
		_offloadmod_ctl_targets "$cur"
	elif ((COMP_CWORD == objidx + 1)); then
		COMPREPLY=($(compgen -W "$(_offloadmod_ctl_commands "${full[0]}")" -- "$cur"))
	elif [[ ${full[0]} == stats ]]; then
		_offloadmod_ctl_stats $((objidx + 1))
	elif [[ ${full[0]} == policy || ${full[0]} == dev ]]; then
		_offloadmod_ctl_policy "${full[0]}" $((objidx + 1))
	elif [[ ${full[0]} == fastpath ]] && ((COMP_CWORD == objidx + 2)); then
		# One TARGET: a host-side veth or a cgroup.
		full=($(compgen -W "enable disable show" -- "${COMP_WORDS[objidx + 1]}"))
		[[ ${#full[@]} -eq 1 ]] || return 0
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
		[[ $cur == */* ]] && COMPREPLY=() && _offloadmod_ctl_targets "$cur"
	fi
	return 0
}

complete -F _offloadmod_ctl offloadmod-ctl
