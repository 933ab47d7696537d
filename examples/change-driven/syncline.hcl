# Change-driven synchronization: people from HR reach the application
# between nightly imports in two ways — a live sync every minute that
# asks the HR export what changed since its token, and an async_update
# consumer that takes change messages from a RabbitMQ queue as they are
# published. See README.md to try both.

syncline {
  state = "sqlite://.syncline/state.db"
}

variable "amqp_url" {
  type        = string
  sensitive   = true
  default     = "amqp://guest:guest@127.0.0.1:5672/"
  description = "The RabbitMQ broker the HR system publishes its changes to."
}

variable "queue" {
  type        = string
  default     = "hr.changes"
  description = "The queue of HR change messages; it must exist."
}
