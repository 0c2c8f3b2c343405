/** Auto-configuration of the channelz service and meters. */
package dev.grpcspring.boot.autoconfigure.channelz;
