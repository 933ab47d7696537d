package config

// Situation is how a resource object relates to the repository after
// correlation.
type Situation string

// Situations, as named in a reactions block.
const (
	// SituationLinked: the shadow is linked to a focus object.
	SituationLinked Situation = "linked"
	// SituationUnlinked: exactly one correlation candidate, not yet linked.
	SituationUnlinked Situation = "unlinked"
	// SituationDisputed: several correlation candidates.
	SituationDisputed Situation = "disputed"
	// SituationUnmatched: no correlation candidate.
	SituationUnmatched Situation = "unmatched"
	// SituationDeleted: a shadow exists but its resource object is gone.
	SituationDeleted Situation = "deleted"
)

// Situations lists every situation in the order documentation uses.
var Situations = []Situation{SituationLinked, SituationUnlinked, SituationDisputed, SituationUnmatched, SituationDeleted}

// Reaction is what a situation triggers.
type Reaction string

// Reactions, as written in a reactions block.
const (
	ReactionAddFocus                 Reaction = "add_focus"
	ReactionLink                     Reaction = "link"
	ReactionSynchronize              Reaction = "synchronize"
	ReactionUnlink                   Reaction = "unlink"
	ReactionDeleteFocus              Reaction = "delete_focus"
	ReactionInactivateFocus          Reaction = "inactivate_focus"
	ReactionDeleteResourceObject     Reaction = "delete_resource_object"
	ReactionInactivateResourceObject Reaction = "inactivate_resource_object"
	ReactionNone                     Reaction = "none"
)

// allowedReactions says which reactions make sense in which situation: a
// reaction that needs a focus object cannot follow "unmatched", and one that
// needs a resource object cannot follow "deleted".
var allowedReactions = map[Situation][]Reaction{
	SituationLinked: {ReactionSynchronize, ReactionUnlink, ReactionDeleteFocus, ReactionInactivateFocus,
		ReactionDeleteResourceObject, ReactionInactivateResourceObject, ReactionNone},
	SituationUnlinked: {ReactionLink, ReactionDeleteResourceObject, ReactionInactivateResourceObject, ReactionNone},
	SituationDisputed: {ReactionDeleteResourceObject, ReactionInactivateResourceObject, ReactionNone},
	SituationUnmatched: {ReactionAddFocus, ReactionDeleteResourceObject, ReactionInactivateResourceObject,
		ReactionNone},
	SituationDeleted: {ReactionUnlink, ReactionDeleteFocus, ReactionInactivateFocus, ReactionNone},
}

// DefaultReactions apply to situations an object type's reactions block does
// not mention: keep linked objects in step, link single candidates, and
// otherwise do nothing that a person did not ask for.
var DefaultReactions = map[Situation]Reaction{
	SituationLinked:    ReactionSynchronize,
	SituationUnlinked:  ReactionLink,
	SituationDisputed:  ReactionNone,
	SituationUnmatched: ReactionNone,
	SituationDeleted:   ReactionUnlink,
}
