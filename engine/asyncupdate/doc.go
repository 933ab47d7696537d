// Package asyncupdate is the AMQP side of the async_update activity: it
// reads change messages that a resource (or a system beside it) publishes
// to a RabbitMQ queue, and turns each into a connector.Change for the
// synchronization to process.
//
// A message is one of two forms, chosen by the activity:
//
//   - a change description: JSON naming the operation, the object's
//     identifier and, for a create or a modification, its attributes
//     (ParseChange; docs/activities.md documents the schema and the
//     variants accepted);
//   - a notification only: an identifier, as JSON or as the bare body;
//     the object is then read from the resource (ParseNotification).
//
// Every message is checked before anything is done with it: its size, its
// content type, that it is JSON of the expected shape. A message that
// fails is that message's error, handled by the activity's error policy.
package asyncupdate
