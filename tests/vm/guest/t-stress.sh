# SPDX-License-Identifier: GPL-2.0
# Concurrency under lockdep and KASAN: 8 importers, each making ti_n keys
# (kernel command line; 50 for `make stress`, fewer in make check), while
# other processes update, read and unlink the same keys, and an rmmod comes
# in the middle. Every import must either have made its key or have failed
# cleanly once the type was gone, and no key of the type may survive.
load_modules
n=${ti_n:-50}
KR=$(keyctl newring stress @s)
note "8 importers x $n imports, with updaters, readers, an unlinker and an rmmod"

importer() {
	p=$1 i=1
	while [ "$i" -le "$n" ]; do
		if out=$(printf 'import %s %s' "$(randhex 32)" "$KH" |
			keyctl padd trusted-import "c$p-$i" "$KR" 2>&1); then
			echo "made c$p-$i" >> "/tmp/st.$p"
		else
			echo "failed c$p-$i ${out#*: }" >> "/tmp/st.$p"
		fi
		i=$((i + 1))
	done
}
churn() {
	# update, read and unlink whatever keys exist, until told to stop
	while [ ! -f /tmp/st.stop ]; do
		for id in $(keyctl rlist "$KR" 2>/dev/null); do
			case $1 in
			update) keyctl update "$id" "update $KH" >/dev/null 2>&1 ;;
			read) keyctl pipe "$id" >/dev/null 2>&1 ;;
			unlink) [ $((id % 3)) -eq 0 ] && keyctl unlink "$id" "$KR" >/dev/null 2>&1 ;;
			esac
		done
	done
}

rm -f /tmp/st.*
importers=""
for p in 1 2 3 4 5 6 7 8; do
	importer "$p" &
	importers="$importers $!"
done
churn update & churn read & churn unlink &
# rmmod in the middle: once a quarter of the imports are done
while [ "$(cat /tmp/st.[1-8] 2>/dev/null | grep -c made)" -lt $((2 * n)) ]; do sleep 1; done
if rmmod trusted_import 2>/tmp/st.rmmod; then rmmod_ok=1; else rmmod_ok=0; fi
note "rmmod during the run: $( [ $rmmod_ok = 1 ] && echo succeeded || cat /tmp/st.rmmod)"
for pid in $importers; do wait "$pid"; done
touch /tmp/st.stop
wait

made=$(cat /tmp/st.[1-8] | grep -c '^made')
failed=$(cat /tmp/st.[1-8] | grep -c '^failed')
note "made $made, failed $failed"
check "every import is accounted for ($made made + $failed failed = $((8 * n)))" \
	test $((made + failed)) -eq $((8 * n))
check "imports failed only once the key type was gone (ENODEV)" \
	sh -c "! grep '^failed' /tmp/st.[1-8] | grep -v 'No such device'"
if [ "$rmmod_ok" = 1 ]; then
	check "after rmmod no trusted-import key is left" sh -c "! grep -q ' trusted-i ' /proc/keys"
	check "the module loads again" modprobe trusted_import
	check "and imports again" sh -c "printf 'import %s %s' '$(randhex 32)' '$KH' | keyctl padd trusted-import again @s >/dev/null"
else
	# an import in flight pins the module (ti_preparse): EWOULDBLOCK, and
	# the epilogue's rmmod, once all are done, must then succeed
	check "rmmod refused only while busy ($EWOULDBLOCK)" grep -q "$EWOULDBLOCK" /tmp/st.rmmod
fi
