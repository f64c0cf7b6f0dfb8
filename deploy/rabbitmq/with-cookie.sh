#!/bin/sh
# Every node of a RabbitMQ cluster must hold the same Erlang cookie: take it from the compose secret, then start as
# the image always does (its entrypoint drops to the rabbitmq user).
set -eu
install -m 600 -o rabbitmq -g rabbitmq /run/secrets/rabbitmq_erlang_cookie /var/lib/rabbitmq/.erlang.cookie
exec docker-entrypoint.sh "$@"
