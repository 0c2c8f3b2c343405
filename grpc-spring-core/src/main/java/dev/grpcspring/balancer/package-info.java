/**
 * Load balancing, as grpc-go's {@code balancer} package defines it: a {@link
 * dev.grpcspring.balancer.Balancer} receives resolver state and subconnection states and publishes
 * a {@link dev.grpcspring.balancer.Picker} (with {@link dev.grpcspring.balancer.BalancerState});
 * {@code pick_first} and {@code round_robin} are built in, {@link
 * dev.grpcspring.balancer.GracefulSwitchBalancer} swaps policies without dropping a ready picker,
 * and {@link dev.grpcspring.balancer.BalancerRegistry} finds policies by name. Balancers talk to
 * the channel only through {@link dev.grpcspring.balancer.BalancerClientConn}.
 */
@NullMarked
package dev.grpcspring.balancer;

import org.jspecify.annotations.NullMarked;
