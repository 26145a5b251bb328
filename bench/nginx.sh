# Sourced by the bench scripts: the nginx that answers every request with the fixed 307 the
# resolver's cached default redirect gives (same Location and Link lengths), for comparison.

# Writes $1/nginx.conf: one worker listening on 127.0.0.1:$2, redirecting to the resolver on
# port $3 for GTIN $4; further arguments are extra top-level directives.
nginx_conf() {
    local dir=$1 port=$2 target=$3 gtin=$4
    shift 4
    mkdir -p "$dir"
    {
        printf '%s\n' "$@"
        cat <<NGX
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir;
    proxy_temp_path $dir;
    fastcgi_temp_path $dir;
    uwsgi_temp_path $dir;
    scgi_temp_path $dir;
    server {
        listen 127.0.0.1:$port;
        location / {
            add_header Link '<http://127.0.0.1:$target/01/$gtin?linkType=linkset>; rel="linkset"; type="application/linkset+json"';
            return 307 http://127.0.0.1:$target/01/$gtin?linkType=gs1:verificationService;
        }
    }
}
NGX
    } >"$dir/nginx.conf"
}
