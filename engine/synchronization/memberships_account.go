package synchronization

// Memberships stored on the account (membership = "account"): the
// group index is read from the accounts' attribute (connector.GroupClass
// AccountAttribute), its member keys are the accounts' DNs as for groups,
// and a membership change is a modify of the account entry. What differs
// from groups on the resource: any name is a group (nothing to declare or
// create), and a renamed account keeps its memberships, since the values
// move with the entry.

// move makes the memberships of the member key from those of to: the
// account they belong to was renamed and its values went with it.
func (idx *groupIndex) move(from, to string) {
	if from == to {
		return
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	set := idx.memberOf[from]
	delete(idx.memberOf, from)
	if len(set) == 0 {
		return
	}
	dst := idx.memberOf[to]
	if dst == nil {
		idx.memberOf[to] = set
		return
	}
	for g := range set {
		dst[g] = true
	}
}
