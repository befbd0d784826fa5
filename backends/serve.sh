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

# APP, the shared options (--backend, --mem, --disk), serve's own, and
# after "--" the image's command line into ARGS.
serve_parse() {
	local name value
	BACKEND=kvm
	while (($#)); do
		launch_take_option "$@"
		if ((TAKEN)); then
			shift "$TAKEN"
			continue
		fi
		name=${1%%=*} value=${1#*=}
		case $1 in
		--port=* | --guest-port=* | --idle-exit=*) ;;
		--port | --guest-port | --idle-exit)
			(($# > 1)) || serve_usage_error "$1 needs a value"
			value=$2
			shift ;;
		esac
		case $name in
		--port) SERVE_PORT=$(serve_port --port "$value") || exit ;;
		--guest-port) SERVE_GUEST_PORT=$(serve_port --guest-port "$value") || exit ;;
		--idle-exit)
			[[ $value =~ ^[0-9]+(\.[0-9]{1,3})?$ && ! $value =~ ^0+(\.0*)?$ ]] ||
				serve_usage_error "bad --idle-exit '$value': give seconds, more than 0, such as 30 or 0.5"
			SERVE_IDLE=$value ;;
		--udp) SERVE_PROTO=udp ;;
		--keep-serving) SERVE_KEEP='=keep-serving' ;;
		--) shift; break ;;
		-h | --help) usage; exit 0 ;;
		-*) serve_usage_error "unknown option '$1'" ;;
		*) if [[ -z $APP ]]; then APP=$1; else break; fi ;;
		esac
		shift
	done
	[[ -n $APP ]] || serve_usage_error "which app? the apps are: $(apps)"
	[[ -n $SERVE_PORT ]] || serve_usage_error "which host port? give --port=HOSTPORT"
	((${#NETS[@]} == 0)) ||
		serve_usage_error "--net does not apply: serve gives the image its network (--port, --guest-port, --udp)"
	[[ $BACKEND == kvm ]] ||
		serve_usage_error "only the kvm backend boots on demand (its monitor holds the port while no VM runs); --backend=$BACKEND cannot"
	ARGS=("$@")
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
