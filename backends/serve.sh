# ./unilab serve: an app as a service that boots on demand, for ./unilab
# (which sources this file after launch.sh). The kvm monitor holds a port
# of 127.0.0.1 (user-mode networking, no root) and boots the image on the
# first connection or datagram (unilab-kvm --on-demand); the image ends
# after a while without traffic (the core option idle-exit) and the next
# request boots a fresh one.

SERVE_PORT='' SERVE_GUEST_PORT=80 SERVE_PROTO=tcp SERVE_IDLE=30
SERVE_KEEP=''

serve_usage_error() {
	launch_usage_error "serve: $* (see ./unilab help)"
}

serve_port() {
	[[ $2 =~ ^[0-9]{1,5}$ ]] && (($2 >= 1 && $2 <= 65535)) ||
		serve_usage_error "bad $1 '$2': give a port, 1..65535"
	echo "$2"
}

# One of serve's own options, $1, with its value $2.
serve_option() {
	case $1 in
	--port) SERVE_PORT=$(serve_port --port "$2") || exit ;;
	--guest-port) SERVE_GUEST_PORT=$(serve_port --guest-port "$2") || exit ;;
	--idle-exit)
		[[ $2 =~ ^[0-9]+(\.[0-9]{1,3})?$ && ! $2 =~ ^0+(\.0*)?$ ]] ||
			serve_usage_error "bad --idle-exit '$2': give seconds, more than 0, such as 30 or 0.5"
		SERVE_IDLE=$2 ;;
	esac
}

# serve's own options are taken out first (up to "--"); the rest is what
# run takes: APP, the shared options, the image's command line.
serve_parse() {
	local rest=()
	while (($#)) && [[ $1 != -- ]]; do
		case $1 in
		--port=* | --guest-port=* | --idle-exit=*) serve_option "${1%%=*}" "${1#*=}" ;;
		--port | --guest-port | --idle-exit)
			(($# > 1)) || serve_usage_error "$1 needs a value"
			serve_option "$1" "$2"
			shift ;;
		--udp) SERVE_PROTO=udp ;;
		--keep-serving) SERVE_KEEP='=keep-serving' ;;
		*) rest+=("$1") ;;
		esac
		shift
	done
	BACKEND=kvm
	launch_parse serve "${rest[@]}" "$@"
	[[ -n $SERVE_PORT ]] || serve_usage_error "which host port? give --port=HOSTPORT"
	((${#NETS[@]} == 0)) ||
		serve_usage_error "--net does not apply: serve gives the image its network (--port, --guest-port, --udp)"
	[[ $BACKEND == kvm ]] ||
		serve_usage_error "only the kvm backend boots on demand (its monitor holds the port while no VM runs); --backend=$BACKEND cannot"
}

# Boot nothing yet: run the monitor, which waits for the first request.
# The image gets a static address, so the request it was booted for
# reaches it once its app listens (docs/kvm.md, "Services that boot on
# demand").
serve_exec() {
	NETS=("user,hostfwd=$SERVE_PROTO::$SERVE_PORT-:$SERVE_GUEST_PORT")
	choose "$APP" "$BACKEND"
	echo "unilab: serving $APP on $SERVE_PROTO 127.0.0.1:$SERVE_PORT (its port $SERVE_GUEST_PORT):" \
		"it boots on the first request and ends after $SERVE_IDLE s without" \
		"traffic; Ctrl-C stops" >&2
	exec "${CMD[0]}" "--on-demand$SERVE_KEEP" "${CMD[@]:1}" \
		ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3 "idle-exit=$SERVE_IDLE" \
		"${ARGS[@]}"
}
