"""One outbox for everything that reaches people: the web inbox, Slack webhooks, e-mail and calendar invites."""
