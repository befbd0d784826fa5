#!/usr/bin/env bash
# Bad --net and --pcap options, and interfaces that cannot be attached,
# are refused before the image boots (with the launcher's status for each:
# NET_STATUS_USAGE, NET_STATUS_HOST) with a message that says what is
# wrong and what to do. No root needed.
. "$(dirname "$0")/netns.sh" "$@"
img=$(net_image_path rawnet)
args=(serve 10.0.2.15 1)

net_refused host '^no network interface nosuchtap0; create it with: ip tuntap add dev nosuchtap0 mode tap' \
	"$img" --net=tap:nosuchtap0 -- "${args[@]}"
net_refused host '^no network interface nosuchif0; list them with: ip link' \
	"$img" --net=pcap:nosuchif0 -- "${args[@]}"
net_refused usage '^--net=bogus: want tap:NAME, pcap:IFACE or user\[,hostfwd=RULE\]' \
	"$img" --net=bogus -- "${args[@]}"
net_refused usage '^--net=tap:: the interface name must have 1 to 15 characters' \
	"$img" --net=tap: -- "${args[@]}"
net_refused usage "^--net=tap:tap0,hostfwd=tcp::1-:2: unknown option 'hostfwd=tcp::1-:2'" \
	"$img" --net=tap:tap0,hostfwd=tcp::1-:2 -- "${args[@]}"
net_refused usage "bad hostfwd 'tcp::8080' \(missing parts\): want hostfwd=\[tcp\|udp\]:\[HOSTADDR\]:HOSTPORT-\[GUESTADDR\]:GUESTPORT" \
	"$img" --net=user,hostfwd=tcp::8080 -- "${args[@]}"
net_refused usage "bad mac '01:00:00:00:00:01'.*multicast bit" \
	"$img" --net=user,mac=01:00:00:00:00:01 -- "${args[@]}"
net_refused usage '^--net: at most 4 network interfaces' \
	"$img" --net=user --net=user --net=user --net=user --net=user -- "${args[@]}"
net_refused host '^cannot create pcap file /nonexistent/dir/x.pcap: No such file' \
	"$img" --pcap=/nonexistent/dir/x.pcap -- "${args[@]}"

# A host port that is taken: hostfwd says which and why.
port=$(net_free_port tcp)
net_start holder - python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
print("listening", flush=True)
time.sleep(60)' "$port"
net_wait_line holder listening
net_refused host "^hostfwd tcp 127.0.0.1:$port to 10.0.2.15:80: cannot listen on the host port \(Address already in use\)" \
	"$img" "--net=user,hostfwd=tcp::$port-:80" -- "${args[@]}"
net_pass "bad network options are refused with the fix"
