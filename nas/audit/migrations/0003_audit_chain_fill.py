# The hash chain, step 2: chain the entries written before it existed, in id order.

from django.db import migrations

from nas.audit import chain


def fill_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEventPerson = apps.get_model("audit", "AuditEventPerson")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    prev_hash, seq, last_id = chain.GENESIS_HASH, 0, None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        event.seq, event.prev_hash = seq, prev_hash
        event.hash = chain.entry_hash({name: getattr(event, name) for name in chain.HASHED_FIELDS})
        event.save(update_fields=["seq", "prev_hash", "hash"])
        AuditEventPerson.objects.bulk_create(
            AuditEventPerson(event_id=event.pk, person_id=pid)
            for pid in sorted(chain.person_ids_of(event.person_id, event.changes))
        )
        prev_hash, last_id = event.hash, event.pk
    AuditChainHead.objects.create(pk=1, seq=seq, hash=prev_hash, event_id=last_id)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_audit_chain_fields"),
    ]

    operations = [
        migrations.RunPython(fill_chain, migrations.RunPython.noop),
    ]
