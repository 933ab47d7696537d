package ldap

import (
	goldap "github.com/go-ldap/ldap/v3"
)

// The BER tags of the write requests and their responses (RFC 4511
// sections 4.6 to 4.9).
const (
	tagModifyRequest  = 0x66 // [APPLICATION 6] SEQUENCE
	tagModifyResponse = 0x67 // [APPLICATION 7]
	tagAddRequest     = 0x68 // [APPLICATION 8] SEQUENCE
	tagAddResponse    = 0x69 // [APPLICATION 9]
	tagDelRequest     = 0x4a // [APPLICATION 10] LDAPDN, primitive
	tagDelResponse    = 0x6b // [APPLICATION 11]
	tagModDNRequest   = 0x6c // [APPLICATION 12] SEQUENCE
	tagModDNResponse  = 0x6d // [APPLICATION 13]
	tagNewSuperior    = 0x80 // [0] in a ModifyDNRequest
	berTrue           = 0xff
)

// requestEncoder appends LDAP messages to one buffer, BER element by
// element: open writes a tag and a one-octet length, close fixes the
// length once the contents are known (moving them when the length needs
// more octets). No packet tree is built, and the buffer is reused from
// one window to the next.
type requestEncoder struct {
	b []byte
}

// open starts a constructed element and returns where its contents start.
func (e *requestEncoder) open(tag byte) int {
	e.b = append(e.b, tag, 0)
	return len(e.b)
}

// close ends the element whose contents start at start.
func (e *requestEncoder) close(start int) {
	n := len(e.b) - start
	if n < 0x80 {
		e.b[start-1] = byte(n)
		return
	}
	k := 1
	for m := n >> 8; m > 0; m >>= 8 {
		k++
	}
	e.b = append(e.b, make([]byte, k)...)
	copy(e.b[start+k:], e.b[start:start+n])
	e.b[start-1] = 0x80 | byte(k)
	for i := k - 1; i >= 0; i-- {
		e.b[start+i] = byte(n)
		n >>= 8
	}
}

// str appends a primitive element holding s.
func (e *requestEncoder) str(tag byte, s string) {
	start := e.open(tag)
	e.b = append(e.b, s...)
	e.close(start)
}

// integer appends an INTEGER or ENUMERATED in the fewest octets of two's
// complement.
func (e *requestEncoder) integer(tag byte, v int64) {
	k := 1
	for k < 8 && (v < -(1<<(8*k-1)) || v >= 1<<(8*k-1)) {
		k++
	}
	e.b = append(e.b, tag, byte(k))
	for i := k - 1; i >= 0; i-- {
		e.b = append(e.b, byte(v>>(8*i)))
	}
}

func (e *requestEncoder) boolean(v bool) {
	b := byte(0)
	if v {
		b = berTrue
	}
	e.b = append(e.b, tagBoolean, 1, b)
}

// attribute appends a SEQUENCE of a type and its SET of values (an
// Attribute of an add, a PartialAttribute of a modify).
func (e *requestEncoder) attribute(name string, vals []string) {
	seq := e.open(tagSequence)
	e.str(tagOctetString, name)
	set := e.open(tagSet)
	for _, v := range vals {
		e.str(tagOctetString, v)
	}
	e.close(set)
	e.close(seq)
}

// controls appends the controls of a message, if any.
func (e *requestEncoder) controls(ctls []goldap.Control) {
	if len(ctls) == 0 {
		return
	}
	list := e.open(tagControls)
	for _, ctl := range ctls {
		e.b = append(e.b, ctl.Encode().Bytes()...)
	}
	e.close(list)
}

// add appends an AddRequest as message id.
func (e *requestEncoder) add(id int64, req *goldap.AddRequest) {
	msg := e.open(tagSequence)
	e.integer(tagInteger, id)
	op := e.open(tagAddRequest)
	e.str(tagOctetString, req.DN)
	attrs := e.open(tagSequence)
	for _, a := range req.Attributes {
		e.attribute(a.Type, a.Vals)
	}
	e.close(attrs)
	e.close(op)
	e.controls(req.Controls)
	e.close(msg)
}

// modify appends a ModifyRequest as message id.
func (e *requestEncoder) modify(id int64, req *goldap.ModifyRequest) {
	msg := e.open(tagSequence)
	e.integer(tagInteger, id)
	op := e.open(tagModifyRequest)
	e.str(tagOctetString, req.DN)
	changes := e.open(tagSequence)
	for _, ch := range req.Changes {
		seq := e.open(tagSequence)
		e.integer(tagEnumerated, int64(ch.Operation))
		e.attribute(ch.Modification.Type, ch.Modification.Vals)
		e.close(seq)
	}
	e.close(changes)
	e.close(op)
	e.controls(req.Controls)
	e.close(msg)
}

// del appends a DelRequest as message id.
func (e *requestEncoder) del(id int64, req *goldap.DelRequest) {
	msg := e.open(tagSequence)
	e.integer(tagInteger, id)
	e.str(tagDelRequest, req.DN)
	e.controls(req.Controls)
	e.close(msg)
}

// modifyDN appends a ModifyDNRequest as message id.
func (e *requestEncoder) modifyDN(id int64, req *goldap.ModifyDNRequest) {
	msg := e.open(tagSequence)
	e.integer(tagInteger, id)
	op := e.open(tagModDNRequest)
	e.str(tagOctetString, req.DN)
	e.str(tagOctetString, req.NewRDN)
	e.boolean(req.DeleteOldRDN)
	if req.NewSuperior != "" {
		e.str(tagNewSuperior, req.NewSuperior)
	}
	e.close(op)
	e.controls(req.Controls)
	e.close(msg)
}

// writeRequest is one write of a batch: exactly one of its requests is
// set.
type writeRequest struct {
	add      *goldap.AddRequest
	modify   *goldap.ModifyRequest
	del      *goldap.DelRequest
	modifyDN *goldap.ModifyDNRequest
}

// encode appends the request as message id and returns the tag its
// response must have.
func (e *requestEncoder) encode(id int64, r writeRequest) byte {
	switch {
	case r.add != nil:
		e.add(id, r.add)
		return tagAddResponse
	case r.modify != nil:
		e.modify(id, r.modify)
		return tagModifyResponse
	case r.del != nil:
		e.del(id, r.del)
		return tagDelResponse
	default:
		e.modifyDN(id, r.modifyDN)
		return tagModDNResponse
	}
}
