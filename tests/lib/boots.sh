# SPDX-License-Identifier: GPL-2.0
# The boot registry, tests/boots.conf, read once when sourced (after
# common.sh): BOOTS holds the boot names in file order, and BOOT_GROUP,
# BOOT_GUEST, BOOT_TPM, BOOT_DISKS, BOOT_NEEDS, BOOT_OPTS, BOOT_HOOK and
# BOOT_WHAT its columns, by boot name. Sourced, never run.

BOOTS=()
declare -A BOOT_GROUP BOOT_GUEST BOOT_TPM BOOT_DISKS BOOT_NEEDS BOOT_OPTS \
	BOOT_HOOK BOOT_WHAT
while read -r _name _group _guest _tpm _disks _needs _opts _hook _what; do
	case $_name in ''|'#'*) continue ;; esac
	[ -n "$_hook" ] || die "tests/boots.conf: boot $_name has too few columns"
	[ -z "${BOOT_GUEST[$_name]:-}" ] || die "tests/boots.conf: boot $_name is there twice"
	BOOTS+=("$_name")
	BOOT_GROUP[$_name]=$_group BOOT_GUEST[$_name]=$_guest BOOT_TPM[$_name]=$_tpm
	BOOT_DISKS[$_name]=$_disks BOOT_NEEDS[$_name]=$_needs BOOT_OPTS[$_name]=$_opts
	BOOT_HOOK[$_name]=$_hook BOOT_WHAT[$_name]=$_what
done < "$TI_ROOT/tests/boots.conf"
unset _name _group _guest _tpm _disks _needs _opts _hook _what

# boot_names: every name TI_BOOTS and tests/matrix.conf may use (the boots
# and their groups), sorted, one per line
boot_names() {
	local b
	for b in "${BOOTS[@]}"; do
		echo "$b"
		echo "${BOOT_GROUP[$b]}"
	done | sort -u
}

# boot_unknown WORD...: the words that name no boot and no group; fails
# when there is one
boot_unknown() {
	local w bad=()
	for w in "$@"; do
		boot_names | grep -qxF -- "$w" || bad+=("$w")
	done
	[ ${#bad[@]} -eq 0 ] && return 0
	echo "${bad[*]}"
	return 1
}

# boot_wanted BOOT SELECTION: SELECTION (words, empty meaning all) names
# BOOT or its group
boot_wanted() {
	[ -z "$2" ] || [[ " $2 " == *" $1 "* ]] || [[ " $2 " == *" ${BOOT_GROUP[$1]} "* ]]
}
