"""Checks of an Envoy configuration for the hotline's gRPC-Web gateway, shared
by the compose file's deploy/envoy/envoy.yaml and the chart's gateway
ConfigMap. Each check appends a sentence to `errors`."""

GRPC_WEB = "envoy.filters.http.grpc_web"
CORS = "envoy.filters.http.cors"
ROUTER = "envoy.filters.http.router"
BUFFER = "envoy.filters.http.buffer"
HCM = "envoy.filters.network.http_connection_manager"
MIN_REQUEST_BYTES = 4 * 1024 * 1024  # the services' --max-message-bytes


def check_envoy(config, public, internal, cluster_host, errors, where="envoy"):
    """public: {grpc service: hotline service}; internal: services that must
    not be routed; cluster_host(svc) -> (host, port or None) the cluster of
    hotline service svc must point at."""
    if not isinstance(config, dict):
        errors.append(f"{where}: not a mapping")
        return
    resources = config.get("static_resources") or {}
    clusters = {c.get("name"): c for c in resources.get("clusters") or []}
    listeners = resources.get("listeners") or []
    if not listeners:
        errors.append(f"{where}: no listener")
    ports = [l.get("address", {}).get("socket_address", {}).get("port_value") for l in listeners]
    if 8080 not in ports:
        errors.append(f"{where}: no listener on port 8080 (listeners on {ports})")
    routed = {}
    for listener in listeners:
        for chain in listener.get("filter_chains") or []:
            for f in chain.get("filters") or []:
                if f.get("name") == HCM:
                    _check_hcm(f.get("typed_config") or {}, clusters, routed, errors, where)
    for grpc, svc in sorted(public.items()):
        if grpc not in routed:
            errors.append(f"{where}: public service {grpc} is not routed")
        elif routed[grpc] != svc:
            errors.append(f"{where}: {grpc} is routed to cluster {routed[grpc]}, not {svc}")
    for grpc in internal:
        if grpc in routed:
            errors.append(f"{where}: {grpc} is routed, but it is for the services only")
    for name, cluster in clusters.items():
        _check_cluster(name, cluster, cluster_host, errors, where)


def _check_hcm(hcm, clusters, routed, errors, where):
    names = [f.get("name") for f in hcm.get("http_filters") or []]
    for needed in (GRPC_WEB, CORS, ROUTER):
        if needed not in names:
            errors.append(f"{where}: http filter {needed} missing (filters: {names})")
    if ROUTER in names:
        if names[-1] != ROUTER:
            errors.append(f"{where}: {ROUTER} must be the last http filter (filters: {names})")
        for before in (GRPC_WEB, CORS):
            if before in names and names.index(before) > names.index(ROUTER):
                errors.append(f"{where}: {before} comes after {ROUTER}, so it never runs")
    buffers = [f for f in hcm.get("http_filters") or [] if f.get("name") == BUFFER]
    if not buffers:
        errors.append(f"{where}: no {BUFFER} filter bounding the request size")
    for b in buffers:
        limit = (b.get("typed_config") or {}).get("max_request_bytes")
        if not isinstance(limit, int) or limit < MIN_REQUEST_BYTES:
            errors.append(f"{where}: max_request_bytes {limit} is below the services' 4 MiB messages")
    hosts = (hcm.get("route_config") or {}).get("virtual_hosts") or []
    for host in hosts:
        if CORS not in (host.get("typed_per_filter_config") or {}) and not host.get("cors"):
            errors.append(f"{where}: virtual host {host.get('name')} has no CORS policy")
        for route in host.get("routes") or []:
            prefix = (route.get("match") or {}).get("prefix", "")
            action = route.get("route") or {}
            cluster = action.get("cluster")
            if cluster not in clusters:
                errors.append(f"{where}: route {prefix} goes to cluster {cluster}, which is not defined")
            if "timeout" not in action:
                errors.append(f"{where}: route {prefix} has no timeout")
            grpc = prefix.strip("/")
            if prefix != f"/{grpc}/" or "/" in grpc:
                errors.append(f"{where}: route prefix {prefix!r} is not a /package.Service/ prefix")
            routed[grpc] = cluster


def _check_cluster(name, cluster, cluster_host, errors, where):
    options = (cluster.get("typed_extension_protocol_options") or {}).get(
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions") or {}
    if "http2_protocol_options" not in (options.get("explicit_http_config") or {}):
        errors.append(f"{where}: cluster {name} does not speak HTTP/2 to the service (gRPC needs it)")
    if not cluster.get("connect_timeout"):
        errors.append(f"{where}: cluster {name} has no connect_timeout")
    addresses = []
    for ep in (cluster.get("load_assignment") or {}).get("endpoints") or []:
        for lb in ep.get("lb_endpoints") or []:
            sock = ((lb.get("endpoint") or {}).get("address") or {}).get("socket_address") or {}
            addresses.append((sock.get("address"), sock.get("port_value")))
    if not addresses:
        errors.append(f"{where}: cluster {name} has no endpoint")
    expected = cluster_host(name)
    for host, port in addresses:
        if expected is None:
            errors.append(f"{where}: cluster {name} is not a hotline service")
        elif host != expected[0] or (expected[1] is not None and port != expected[1]):
            errors.append(f"{where}: cluster {name} points at {host}:{port}, not the {name} service "
                          f"at {expected[0]}:{expected[1]}")
