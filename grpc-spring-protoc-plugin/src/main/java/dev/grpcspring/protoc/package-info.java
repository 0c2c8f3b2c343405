/**
 * The grpc-spring protoc plugin. For every service of every file protoc asks for, it writes one
 * class {@code <Service>Grpc} into the Java package protoc's Java generator uses for that file,
 * holding:
 *
 * <ul>
 *   <li>{@code SERVICE_NAME} and a lazily built {@code get<Method>Method()} per RPC, with the
 *       method's kind, full name, protobuf marshallers and a schema supplier;
 *   <li>{@code getServiceDescriptor()}, whose schema descriptor serves the file descriptor protoc
 *       embedded in the file's outer class (for reflection);
 *   <li>{@code <Service>ImplBase}, whose methods answer UNIMPLEMENTED until overridden, and
 *       {@code bindService};
 *   <li>{@code <Service>Stub} (async, every kind), {@code <Service>BlockingStub} (unary and
 *       server-streaming) and {@code <Service>FutureStub} (unary), made by {@code newStub},
 *       {@code newBlockingStub} and {@code newFutureStub}.
 * </ul>
 *
 * <p>Naming rules, so that any valid {@code .proto} compiles:
 *
 * <ul>
 *   <li>Java method names are the RPC names in lowerCamelCase, as protoc camel-cases
 *       ({@code get_user} and {@code GetUser} both become {@code getUser}; two RPCs that map to the
 *       same name are reported as an error).
 *   <li>A name that is a Java keyword or literal, a {@code java.lang.Object} method, or a name the
 *       generated classes declare or inherit ({@code bindService}, {@code getServiceDescriptor},
 *       {@code build}, {@code getChannel}, {@code getCallOptions}, the {@code with...} methods of
 *       {@code AbstractStub}, {@code newStub}, ...) gets a trailing underscore: rpc {@code Class}
 *       is {@code class_}, rpc {@code GetChannel} is {@code getChannel_}. Wire names never change.
 *   <li>When {@code <Service>Grpc} is already the name of a class protoc writes into the same Java
 *       package, the generated class is {@code <Service>Grpc_}.
 *   <li>Every type outside the generated class is written fully qualified, and parameters avoid
 *       names that would obscure a package, so messages named {@code String}, {@code Deprecated}
 *       or like the service do not break the code.
 * </ul>
 *
 * <p>Deprecated services and methods get {@code @Deprecated} and an {@code @deprecated} note; the
 * leading proto comments of services and methods become Javadoc, HTML-escaped and with
 * {@code *}{@code /}, {@code @} and backslashes neutralised.
 */
package dev.grpcspring.protoc;
