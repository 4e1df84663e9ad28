/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-demo"

#include <math.h>

#include "cin-note-json.h"
#include "cin-server-demo-photo.h"
#include "cin-server-json.h"
#include "cin-server-notes.h"
#include "cin-tus.h"

/* `cinnabar-server --demo DIR`: on a data dir without the demo account,
 * one is made (handle "demo", password "cinnabar-demo") with a few
 * hundred published public notes written as creators write them, across
 * the last 90 days so the metrics simulator has 90 days of numbers to
 * show, and a shelf of products. Everything comes from
 * a fixed seed: every demo looks the same. A few more accounts (same
 * password) are the people the demo account follows, for @mentions; a
 * demo dir made before them, or before the photos, gets them too. */

#define DEMO_HANDLE "demo"
#define DEMO_PASSWORD "cinnabar-demo"
#define DEMO_NOTES 300
#define DEMO_DAYS 90
#define DEMO_SEED 20260101

/* Whom the demo account follows, the most recently followed last. */
static const char * const followed[] = {
  "xiaoyu", "chengdu.eats", "lin_travel", "momo.home", "ahua-coffee",
};

static const char * const places[] = {
  "上海", "成都", "杭州", "北京", "广州", "深圳", "重庆", "西安", "厦门", "大理", "长沙", "南京",
};

typedef struct {
  const char *topic;
  const char *titles[4];   /* "%s" is the place */
  const char *bodies[3];
} Theme;

static const Theme themes[] = {
  { "咖啡", { "%s咖啡探店", "%s宝藏咖啡馆", "在%s喝到的好咖啡", "%s手冲咖啡地图" },
    { "藏在老街里的小店，豆子是店主自己烘的，酸甜很干净。",
      "周末人不多，靠窗的位置可以坐一下午，拿铁拉花很好看。",
      "推荐他们家的桂花冷萃，清爽不腻，价格也很友好。" } },
  { "美食", { "%s本地人才知道的馆子", "%s吃了三天", "%s夜宵清单", "%s早餐去哪吃" },
    { "排队半小时也值得，招牌菜一定要点，分量很足。",
      "跟着本地朋友吃的，味道地道，人均不到一百。",
      "记得早点去，下午两点以后很多菜就卖完了。" } },
  { "旅行", { "%s两天一夜攻略", "%s小众景点", "第一次去%s怎么玩", "%s周末散步路线" },
    { "路线按地铁站排好了，走下来不累，适合第一次来的朋友。",
      "避开人流的时间段都写在这里了，拍照光线最好的是傍晚。",
      "住在市中心方便很多，交通和吃饭都不用操心。" } },
  { "穿搭", { "%s秋天穿搭", "在%s拍的通勤穿搭", "%s街拍合集", "%s约会穿什么" },
    { "基础款叠穿就很好看，颜色控制在三种以内不会乱。",
      "这套适合早晚温差大的天气，外套可以随时脱下来。",
      "鞋子选了舒服的，走一天脚也不累。" } },
  { "护肤", { "%s换季护肤", "在%s用空的护肤品", "%s干皮自救", "%s通勤护肤步骤" },
    { "换季容易干，保湿一定要做足，精简步骤反而更稳定。",
      "空瓶记录，回购的和不回购的都写清楚了，理性参考。",
      "防晒每天都要涂，阴天也不例外。" } },
  { "家居", { "%s出租屋改造", "%s小户型收纳", "在%s布置的书房", "%s阳台小花园" },
    { "花了不到两千块，整个房间亮了很多，清单放在最后。",
      "收纳的关键是先断舍离，再给每样东西找固定的位置。",
      "绿植选了好养活的品种，新手也不容易养死。" } },
};

/* Each theme's photos are washed in its colour. */
static const guint32 theme_colors[] = {
  0x8a5a3c,  /* coffee */
  0xc0603a,  /* food */
  0x3f7f9f,  /* travel */
  0x9a6fa0,  /* outfits */
  0xd89a9a,  /* skin care */
  0x6f8f5f,  /* home */
};

G_STATIC_ASSERT (G_N_ELEMENTS (theme_colors) == G_N_ELEMENTS (themes));

#define PHOTO_VARIANTS 4

static const struct {
  const char *title;
  gint64      price_cents;
  const char *sku;
} products[] = {
  { "手冲咖啡壶", 12900, "K-001" }, { "磨豆机", 39900, "G-002" }, { "冷萃瓶", 5900, "C-003" },
  { "保湿面霜", 16800, "S-004" }, { "防晒乳", 9900, "S-005" }, { "帆布托特包", 7900, "B-006" },
  { "羊毛围巾", 19900, "W-007" }, { "香薰蜡烛", 6900, "H-008" }, { "收纳盒三件套", 4900, "H-009" },
  { "旅行分装瓶", 2900, "T-010" }, { "便携咖啡杯", 8900, "C-011" }, { "亚麻床品", 39900, "H-012" },
};

static char *
seeded_uuid (GRand *rand)
{
  guint32 words[4];

  for (guint i = 0; i < 4; i++)
    words[i] = g_rand_int (rand);
  /* Version 4, variant 1, as g_uuid_string_random() makes them. */
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          words[0], words[1] >> 16, words[1] & 0xfff,
                          0x8000 | (words[2] >> 16 & 0x3fff), words[2] & 0xffff, words[3]);
}

static gboolean
put (CinServer  *server,
     CinEntity  *entity,
     GError    **error)
{
  entity->rev = 1;
  return server->storage->ops->entity_put (server->storage, entity, error);
}

/* The photos made so far, by theme and variant: each is made and stored
 * once, however many notes show it. */
typedef struct {
  char *sha256[G_N_ELEMENTS (themes) * PHOTO_VARIANTS];
} DemoPhotos;

static void
demo_photos_clear (DemoPhotos *photos)
{
  for (guint i = 0; i < G_N_ELEMENTS (photos->sha256); i++)
    g_clear_pointer (&photos->sha256[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DemoPhotos, demo_photos_clear)

static const char *
demo_photo (CinServer   *server,
            DemoPhotos  *photos,
            const char  *owner,
            guint        theme_index,
            guint        variant,
            GError     **error)
{
  char **sha256 = &photos->sha256[theme_index * PHOTO_VARIANTS + variant];

  if (*sha256 == NULL)
    {
      g_autoptr(GBytes) jpeg = _cin_server_demo_photo (theme_colors[theme_index], variant);

      *sha256 = cin_tus_add_complete (CIN_TUS (server->tus), owner, jpeg, error);
    }
  return *sha256;
}

/* One to three photos in the theme's colour, stored as uploads of the
 * account. */
static gboolean
add_photos (CinServer   *server,
            DemoPhotos  *photos,
            GRand       *rand,
            gint64       account_id,
            guint        theme_index,
            const char  *place,
            CinNote     *note,
            GError     **error)
{
  g_autofree char *owner = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
  guint n_photos = g_rand_int_range (rand, 1, 4);

  for (guint i = 0; i < n_photos; i++)
    {
      const char *sha256 = demo_photo (server, photos, owner, theme_index,
                                       g_rand_int_range (rand, 0, PHOTO_VARIANTS), error);
      g_autofree char *id = seeded_uuid (rand);
      g_autofree char *alt_text = NULL;
      g_autoptr(CinPhoto) photo = NULL;

      if (sha256 == NULL)
        return FALSE;
      /* Demo data, in the platform's language: not translated. */
      alt_text = g_strdup_printf ("%s的%s，第%u张", place, themes[theme_index].topic, i + 1);
      photo = cin_photo_new_full (id, sha256, "image/jpeg", CIN_DEMO_PHOTO_WIDTH, CIN_DEMO_PHOTO_HEIGHT,
                                  CIN_CROP_NONE, 0.5, 0.5, alt_text);
      cin_note_insert_photo (note, i, photo);
    }
  return TRUE;
}

static gboolean
add_note (CinServer  *server,
          DemoPhotos *photos,
          GRand      *rand,
          gint64      account_id,
          gint64      now,
          guint       index,
          GError    **error)
{
  guint theme_index = g_rand_int_range (rand, 0, G_N_ELEMENTS (themes));
  const Theme *theme = &themes[theme_index];
  const char *place = places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))];
  const char *title_format = theme->titles[g_rand_int_range (rand, 0, 4)];
  g_auto(GStrv) parts = g_strsplit (title_format, "%s", 2);
  g_autofree char *title = g_strjoinv (place, parts);
  g_autofree char *id = seeded_uuid (rand);
  g_autofree char *body = g_strdup_printf ("%s\n\n%s", theme->bodies[g_rand_int_range (rand, 0, 3)],
                                           theme->bodies[g_rand_int_range (rand, 0, 3)]);
  const char *topics[] = { theme->topic, place, NULL };
  gboolean video = g_rand_int_range (rand, 0, 5) == 0;
  g_autoptr(CinNote) note = cin_note_new_with_id (id, video ? CIN_NOTE_KIND_VIDEO : CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinEntity) entity = cin_entity_new ("note", id, account_id);
  /* Spread over the last 90 days, a little more often lately. */
  gint64 age = (gint64)(DEMO_DAYS * G_GINT64_CONSTANT (86400000000) * (1.0 - sqrt (g_rand_double (rand))));

  cin_note_set_title (note, title);
  cin_note_set_body (note, body);
  cin_note_set_topics (note, topics);
  cin_note_set_location (note, place);
  cin_note_set_original (note, index % 3 != 0);
  cin_note_set_state (note, CIN_NOTE_STATE_PUBLISHED);
  if (!video && !add_photos (server, photos, rand, account_id, theme_index, place, note, error))
    return FALSE;

  entity->rev = 1;
  entity->published_at = now - age;
  entity->created_at = entity->published_at - G_GINT64_CONSTANT (3600000000);
  entity->updated_at = entity->published_at;
  cin_server_note_store (server, note, entity);
  return put (server, entity, error);
}

static gboolean
add_product (CinServer  *server,
             GRand      *rand,
             gint64      account_id,
             gint64      now,
             guint       index,
             GError    **error)
{
  g_autofree char *id = seeded_uuid (rand);
  g_autoptr(CinEntity) entity = cin_entity_new ("product", id, account_id);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *url = g_strdup_printf ("https://shop.example.com/p/%s", products[index].sku);
  g_autofree char *created = NULL;

  entity->rev = 1;
  entity->created_at = entity->updated_at = now - (gint64)(index + 1) * G_GINT64_CONSTANT (86400000000);
  created = cin_format_time (entity->created_at);
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "rev", "1");
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "updated_at", created);
  json_object_set_string_member (object, "title", products[index].title);
  json_object_set_int_member (object, "price_cents", products[index].price_cents);
  json_object_set_string_member (object, "currency", "CNY");
  json_object_set_string_member (object, "url", url);
  json_object_set_null_member (object, "image_url");
  json_object_set_string_member (object, "sku", products[index].sku);
  json_node_set_object (node, object);
  entity->json = cin_server_json_to_string (node);
  return put (server, entity, error);
}

/* A demo dir made before the demo had photos: each photo note without
 * any gets them, as a new revision (its times kept, so the draft box's
 * order stays), and clients pull them as any other change. */
static gboolean
add_missing_photos (CinServer  *server,
                    gint64      demo_id,
                    GError    **error)
{
  CinStorage *storage = server->storage;
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED + 1);
  g_auto(DemoPhotos) photos = { { NULL, } };
  g_autofree char *owner = g_strdup_printf ("%" G_GINT64_FORMAT, demo_id);
  g_autoptr(GPtrArray) entities = NULL;
  guint n_changed = 0;

  /* Done once: after it the demo has uploads, and a photo note without
   * photos is the creator's own draft. */
  if (cin_tus_owner_has_complete (CIN_TUS (server->tus), owner))
    return TRUE;
  entities = storage->ops->entity_list (storage, demo_id, "note", error);
  if (entities == NULL || !storage->ops->begin (storage, error))
    return FALSE;
  for (guint i = 0; i < entities->len; i++)
    {
      CinEntity *entity = g_ptr_array_index (entities, i);
      g_autoptr(CinNote) note = cin_server_note_from_entity (entity);
      const char * const *topics;
      guint theme_index = G_N_ELEMENTS (themes);

      if (note == NULL || cin_note_get_kind (note) != CIN_NOTE_KIND_PHOTO || cin_note_get_n_photos (note) > 0)
        continue;
      topics = cin_note_get_topics (note);
      for (guint t = 0; topics != NULL && topics[0] != NULL && t < G_N_ELEMENTS (themes); t++)
        {
          if (g_str_equal (topics[0], themes[t].topic))
            {
              theme_index = t;
              break;
            }
        }
      if (theme_index == G_N_ELEMENTS (themes))
        continue;  /* the creator's own note, not the demo's */

      if (!add_photos (server, &photos, rand, demo_id, theme_index,
                       cin_note_get_location (note) ? cin_note_get_location (note) : "", note, error))
        goto failed;
      entity->rev++;
      cin_server_note_store (server, note, entity);
      if (!storage->ops->entity_put (storage, entity, error))
        goto failed;
      n_changed++;
    }
  if (!storage->ops->commit (storage, error))
    goto failed;
  if (n_changed > 0)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                      "MESSAGE", "Gave %u demo notes their photos", n_changed);
  return TRUE;

failed:
  storage->ops->rollback (storage);
  return FALSE;
}

/* The accounts the demo follows, followed an hour apart over the last
 * days, unless the first of them is there already. */
static gboolean
add_followed (CinServer  *server,
              gint64      demo_id,
              gint64      now,
              GError    **error)
{
  CinStorage *storage = server->storage;
  g_autoptr(CinAccount) existing = storage->ops->account_find (storage, followed[0], NULL);
  g_autofree char *hash = NULL;

  if (existing != NULL)
    return TRUE;
  /* One hash for all: yescrypt is slow on purpose. */
  hash = _cin_server_hash_password (DEMO_PASSWORD, error);
  if (hash == NULL || !storage->ops->begin (storage, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (followed); i++)
    {
      gint64 followed_at = now - (gint64)(G_N_ELEMENTS (followed) - i) * G_GINT64_CONSTANT (3600000000);
      gint64 account_id;

      if (!storage->ops->account_create (storage, followed[i], hash,
                                         now - DEMO_DAYS * G_GINT64_CONSTANT (86400000000), &account_id, error) ||
          !storage->ops->follow_put (storage, demo_id, account_id, followed_at, error))
        {
          storage->ops->rollback (storage);
          return FALSE;
        }
    }
  if (!storage->ops->commit (storage, error))
    {
      storage->ops->rollback (storage);
      return FALSE;
    }
  return TRUE;
}

gboolean
cin_server_seed_demo (CinServer  *server,
                      GError    **error)
{
  CinStorage *storage = server->storage;
  g_autoptr(CinAccount) existing = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED);
  g_auto(DemoPhotos) photos = { { NULL, } };
  g_autofree char *hash = NULL;
  gint64 now = _cin_server_now (server);
  gint64 account_id;

  existing = storage->ops->account_find (storage, DEMO_HANDLE, NULL);
  if (existing != NULL)
    return add_followed (server, existing->id, now, error) &&
           add_missing_photos (server, existing->id, error);

  hash = _cin_server_hash_password (DEMO_PASSWORD, error);
  if (hash == NULL || !storage->ops->begin (storage, error))
    return FALSE;
  if (!storage->ops->account_create (storage, DEMO_HANDLE, hash, now - DEMO_DAYS * G_GINT64_CONSTANT (86400000000),
                                     &account_id, error))
    goto failed;
  for (guint i = 0; i < DEMO_NOTES; i++)
    if (!add_note (server, &photos, rand, account_id, now, i, error))
      goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    if (!add_product (server, rand, account_id, now, i, error))
      goto failed;
  if (!storage->ops->commit (storage, error))
    goto failed;

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "Made the demo account “%s” with %d notes", DEMO_HANDLE, DEMO_NOTES);
  return add_followed (server, account_id, now, error);

failed:
  storage->ops->rollback (storage);
  return FALSE;
}
